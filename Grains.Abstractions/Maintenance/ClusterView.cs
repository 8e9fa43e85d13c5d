namespace Orchestrator.Grains.Maintenance;

public sealed record SiloView(Guid Id, string Host, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeatAt, string Status, DateTimeOffset? EndedAt, int InFlight, long Fired);

public sealed record LeaderView(Guid SiloId, long Epoch, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt);

public sealed record DutyRunView(string Duty, Guid? SiloId, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, long? Affected, string? Summary);

/// <summary>The cluster as the dashboard shows it.</summary>
public sealed record ClusterView(IReadOnlyList<SiloView> Silos, LeaderView? Leader, IReadOnlyList<DutyRunView> LastRuns);
