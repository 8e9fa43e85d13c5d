using System.Net;
using Microsoft.Playwright;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Dashboard;

/// <summary>The dashboard in real headless Chromium (Debian's), driven by Playwright.</summary>
public sealed class DashboardTests : ClusterTest
{
    private static readonly string ScreenshotPath = Path.GetFullPath(
        Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "artifacts", "screenshots", "dashboard.png"));

    [Fact]
    public async Task Without_admin_credentials_the_dashboard_is_401()
    {
        using var anonymous = new HttpClient { BaseAddress = Node.BaseAddress };
        using var tenant = Cluster.Client(Node);

        foreach (var path in new[] { "/dashboard", "/dashboard/state", "/dashboard/charts/throughput.svg" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await tenant.GetAsync(path)).StatusCode);
        }
        var challenge = await anonymous.GetAsync("/dashboard");
        Assert.Equal("Basic", challenge.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task The_dashboard_shows_live_counters_and_charts_and_redrives_a_dead_letter()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            HttpCredentials = new HttpCredentials { Username = "admin", Password = TestCluster.AdminKey },
            ViewportSize = new ViewportSize { Width = 1400, Height = 1400 },
        });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => consoleErrors.Add(error);

        var response = await page.GotoAsync(new Uri(Node.BaseAddress, "/dashboard").ToString());
        Assert.Equal(200, response!.Status);
        await Eventually.TrueAsync(async () => (await page.TextContentAsync("#node") ?? "").Contains("silo"), "the page to load its state");
        var receivedBefore = await TileAsync(page, "received here");

        Receiver.Script("/gone", new Reply(410));
        var deadLetter = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/gone")));
        for (var i = 0; i < 3; i++)
        {
            await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/fine")));
        }
        await Client.EventuallyInStatusAsync(deadLetter, "DEAD_LETTER");

        // Counters move without a reload.
        await Eventually.TrueAsync(async () => await TileAsync(page, "received here") >= receivedBefore + 4, "the received counter to move");
        await Eventually.TrueAsync(async () => await TileAsync(page, "delivered here") >= 3, "the delivered counter to move");
        // Both charts are real images of non-zero size.
        await Eventually.TrueAsync(async () => await page.EvaluateAsync<bool>(
            "() => ['chart-throughput', 'chart-latency'].every(id => document.getElementById(id).complete && document.getElementById(id).naturalWidth > 0)"),
            "the charts to render");
        // The dead letter is listed with a redrive button; pressing it delivers the event.
        var redrive = page.Locator($"button[data-event-id='{deadLetter}']");
        await Eventually.TrueAsync(async () => await redrive.CountAsync() == 1, "the dead letter's redrive button");
        await redrive.ClickAsync();
        await Client.EventuallyInStatusAsync(deadLetter, "COMPLETED");
        Assert.Equal([410, 200], Receiver.Received("/gone").Select(r => r.Status));

        // Each silo's load travels with its heartbeat, for every silo's dashboard to show.
        using var admin = Cluster.AdminClient(Node);
        await Eventually.TrueAsync(async () =>
        {
            var cluster = System.Text.Json.Nodes.JsonNode.Parse(await admin.GetStringAsync("/api/v1/admin/cluster"))!;
            return cluster["silos"]![0]!["fired"]!.GetValue<long>() >= 5;
        }, "the heartbeat to carry the silo's fired count");

        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true });
        Assert.Empty(consoleErrors);
    }

    /// <summary>The number in the tile labelled <paramref name="label"/>.</summary>
    private static async Task<double> TileAsync(IPage page, string label)
    {
        var text = await page.EvaluateAsync<string?>(
            "label => [...document.querySelectorAll('.tile')].find(t => t.querySelector('.l').textContent.toLowerCase() === label)?.querySelector('.n').textContent",
            label);
        return double.TryParse((text ?? "").Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : -1;
    }
}
