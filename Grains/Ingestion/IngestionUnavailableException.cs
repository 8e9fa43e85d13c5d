namespace Orchestrator.Grains.Ingestion;

/// <summary>The events could not be made durable; nothing was accepted. The API answers 503.</summary>
public sealed class IngestionUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
