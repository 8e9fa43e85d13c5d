using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Delivery;

public sealed class RetryTests : ClusterTest
{
    [Fact]
    public async Task A_503_is_retried_and_the_retry_succeeds()
    {
        Receiver.Script("/flaky", new Reply(503));
        var id = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/flaky")));

        var stored = await Client.EventuallyInStatusAsync(id, "COMPLETED");

        Assert.Equal(2, stored["attempts"]!.GetValue<int>());
        Assert.Equal([503, 200], Receiver.Received("/flaky").Select(r => r.Status));
        Assert.All(Receiver.Received("/flaky"), r => Assert.Equal(id, r.EventId));
    }

    [Fact]
    public async Task Exhausted_retries_make_a_dead_letter()
    {
        Receiver.Script("/down", new Reply(500), new Reply(502), new Reply(503), new Reply(504));
        var id = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/down"), maxRetries: 2));

        var stored = await Client.EventuallyInStatusAsync(id, "DEAD_LETTER");

        Assert.Equal(3, stored["attempts"]!.GetValue<int>());
        Assert.Equal(503, stored["last_status_code"]!.GetValue<int>());
        Assert.Contains("retries exhausted", stored["last_error"]!.GetValue<string>());
        Assert.Equal(3, Receiver.Received("/down").Count);
    }

    [Fact]
    public async Task A_400_is_a_dead_letter_after_exactly_one_attempt()
    {
        Receiver.Script("/reject", new Reply(400));
        var id = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/reject"), maxRetries: 5));

        var stored = await Client.EventuallyInStatusAsync(id, "DEAD_LETTER");

        Assert.Equal(1, stored["attempts"]!.GetValue<int>());
        Assert.Equal(400, stored["last_status_code"]!.GetValue<int>());
        Assert.Single(Receiver.Received("/reject"));
    }

    [Fact]
    public async Task A_429_is_retried_no_sooner_than_its_Retry_After()
    {
        Receiver.Script("/busy", new Reply(429, RetryAfterSeconds: 1));
        var id = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/busy")));

        await Client.EventuallyInStatusAsync(id, "COMPLETED");

        var attempts = Receiver.Received("/busy");
        Assert.Equal(2, attempts.Count);
        var gap = attempts[1].ReceivedAt - attempts[0].ReceivedAt;
        // Our backoff cap is 400 ms in tests, so only Retry-After explains a gap of a second.
        Assert.True(gap >= TimeSpan.FromSeconds(0.95), $"retried after {gap}, Retry-After asked for 1s");
    }

    [Fact]
    public async Task An_unreachable_destination_is_retried_then_dead_lettered()
    {
        // A port nothing listens on: connection refused is a retryable failure.
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var id = await Client.ScheduleAsync(Submissions.Http($"http://127.0.0.1:{port}/nobody", maxRetries: 1));

        var stored = await Client.EventuallyInStatusAsync(id, "DEAD_LETTER");
        Assert.Equal(2, stored["attempts"]!.GetValue<int>());
        Assert.Contains("request failed", stored["last_error"]!.GetValue<string>());
    }
}
