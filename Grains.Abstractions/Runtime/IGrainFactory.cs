namespace Orchestrator.Grains.Runtime;

/// <summary>
/// Returns a reference to the grain with the given key. The reference is cheap and
/// holds no state: the grain's state is its database row, and single activation is
/// the row claim, so a reference can be made anywhere, on any silo or API node.
/// </summary>
public interface IGrainFactory
{
    TGrain GetGrain<TGrain>(Guid key) where TGrain : IGrainWithGuidKey;
}
