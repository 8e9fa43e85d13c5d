namespace Orchestrator.Tests.Infrastructure;

/// <summary>Polls for a condition until a deadline: the way tests wait for async work.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<T> ReturnsAsync<T>(Func<Task<T?>> probe, Func<T?, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var delay = TimeSpan.FromMilliseconds(20);
        T? last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await probe();
            if (done(last))
            {
                return last!;
            }
            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 250));
        }
        throw new TimeoutException($"Timed out after {(timeout ?? DefaultTimeout).TotalSeconds}s waiting for {what}; last value: {last}");
    }

    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        ReturnsAsync(async () => await condition(), ok => ok, what, timeout);

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        ReturnsAsync(() => Task.FromResult(condition()), ok => ok, what, timeout);
}
