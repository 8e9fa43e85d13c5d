namespace Orchestrator.Grains.Runtime;

/// <summary>Marks a grain addressed by a Guid key, as in Orleans.</summary>
public interface IGrainWithGuidKey;
