namespace Orchestrator.Bench.Scenarios;

/// <summary>One measured number, and the target it is held against (if any).</summary>
public sealed record Measurement(string Name, double Value, string Unit, string? Target = null, bool? Met = null);

public sealed record ScenarioResult(string Scenario, IReadOnlyList<Measurement> Measurements);
