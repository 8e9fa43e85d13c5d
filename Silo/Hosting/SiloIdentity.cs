namespace Orchestrator.Silo.Hosting;

/// <summary>Who this silo is: the id its claims carry, and where it runs.</summary>
public sealed record SiloIdentity(Guid Id, string Host, DateTimeOffset StartedAt)
{
    public static SiloIdentity New() => new(Guid.CreateVersion7(), Environment.MachineName, DateTimeOffset.UtcNow);
}
