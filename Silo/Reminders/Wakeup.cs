namespace Orchestrator.Silo.Reminders;

/// <summary>
/// A one-slot signal: any number of <see cref="Set"/> calls between two waits wake the
/// waiter once. Used to wake the reminder loop early instead of polling.
/// </summary>
public sealed class Wakeup
{
    private readonly SemaphoreSlim _slot = new(0, 1);

    public void Set()
    {
        try
        {
            _slot.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already set: the waiter will wake once, which is all it needs.
        }
    }

    /// <summary>Waits until set or until the timeout; true when it was set.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _slot.WaitAsync(timeout, cancellationToken);
}
