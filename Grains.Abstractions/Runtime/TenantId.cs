namespace Orchestrator.Grains.Runtime;

/// <summary>The tenant a call acts for; every read and write is scoped to it.</summary>
public readonly record struct TenantId(string Value)
{
    public override string ToString() => Value;
}
