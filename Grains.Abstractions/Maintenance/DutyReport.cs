namespace Orchestrator.Grains.Maintenance;

/// <summary>What one duty run did: how many things it touched, and a line saying what.</summary>
public sealed record DutyReport(string Duty, long Affected, string Summary, TimeSpan Took);
