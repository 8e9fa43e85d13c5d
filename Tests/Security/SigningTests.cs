using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Grains.Delivery;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Security;

public sealed class SigningTests : ClusterTest
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["ORCH_WEBHOOK_SECRETS"] = $"{TestCluster.TenantA}:{Secret}",
    };

    [Fact]
    public async Task Deliveries_carry_Standard_Webhooks_signatures_that_the_reference_implementation_verifies()
    {
        var id = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/signed")));
        await Client.EventuallyInStatusAsync(id, "COMPLETED");
        var request = Receiver.Received("/signed").Single();

        Assert.Equal(id.ToString(), request.Headers["webhook-id"]);
        var timestamp = long.Parse(request.Headers["webhook-timestamp"]);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, 0, 60);
        var key = Convert.FromBase64String(Secret["whsec_".Length..]);
        Assert.Equal(WebhookSigner.Signature([key], id.ToString(), timestamp, request.Body), request.Headers["webhook-signature"]);
        Assert.Equal("verified", await VerifyWithReferenceAsync(Secret, request));
        Assert.StartsWith("not verified", await VerifyWithReferenceAsync(WebhookSigner.NewSecret(), request));
    }

    [Fact]
    public async Task During_rotation_every_active_secret_signs_and_each_verifies_alone()
    {
        using var admin = Cluster.AdminClient(Node);
        using var added = await admin.PostAsync($"/api/v1/admin/tenants/{TestCluster.TenantA}/webhook-secrets", null);
        var newSecret = JsonNode.Parse(await added.Content.ReadAsStringAsync())!["secret"]!.GetValue<string>();
        var active = await admin.GetFromJsonAsync<JsonArray>($"/api/v1/admin/tenants/{TestCluster.TenantA}/webhook-secrets");
        Assert.Equal(new[] { Secret, newSecret }.Order(), active!.Select(s => s!["secret"]!.GetValue<string>()).Order());

        // The signer caches secrets for a second; deliveries after that carry both signatures.
        var request = await Eventually.ReturnsAsync(async () =>
        {
            var id = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/rotating")));
            await Client.EventuallyInStatusAsync(id, "COMPLETED");
            return Receiver.Received("/rotating").Single(r => r.EventId == id);
        }, r => r!.Headers["webhook-signature"].Split(' ').Length == 2, "deliveries signed with both secrets");

        Assert.Equal("verified", await VerifyWithReferenceAsync(Secret, request));
        Assert.Equal("verified", await VerifyWithReferenceAsync(newSecret, request));
    }

    private static async Task<string> VerifyWithReferenceAsync(string secret, ReceivedRequest request)
    {
        var verifier = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "webhook-verifier", "verify.mjs");
        var info = new ProcessStartInfo("node", [Path.GetFullPath(verifier)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(info)!;
        await node.StandardInput.WriteAsync(JsonSerializer.Serialize(new
        {
            secret,
            headers = new Dictionary<string, string>
            {
                ["webhook-id"] = request.Headers["webhook-id"],
                ["webhook-timestamp"] = request.Headers["webhook-timestamp"],
                ["webhook-signature"] = request.Headers["webhook-signature"],
            },
            body = request.Body,
        }));
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync();
        var errors = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        return output.Trim() is { Length: > 0 } verdict ? verdict : $"not verified: node failed: {errors}";
    }
}
