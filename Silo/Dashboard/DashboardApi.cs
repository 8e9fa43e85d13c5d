using System.Reflection;
using Orchestrator.Api.Tenancy;
using Orchestrator.Grains.Delivery;
using Orchestrator.Grains.Maintenance;
using Orchestrator.Grains.Runtime;
using Orchestrator.Grains.Storage;
using Orchestrator.Grains.Storage.Events;
using Orchestrator.Grains.Telemetry;
using Orchestrator.Silo.Cluster;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Reminders;

namespace Orchestrator.Silo.Dashboard;

/// <summary>
/// The operator's dashboard, served by every silo behind admin credentials: the page, the state
/// it polls every second, its charts (SVG rendered here), and redriving a dead letter.
/// </summary>
public static class DashboardApi
{
    private static readonly string Page = ReadPage();

    public static RouteGroupBuilder MapDashboard(this IEndpointRouteBuilder routes)
    {
        var dashboard = routes.MapGroup("/dashboard").RequireAuthorization(AdminAuthenticationHandler.PolicyName).ExcludeFromDescription();
        dashboard.MapGet("", () => Results.Content(Page, "text/html; charset=utf-8"));
        dashboard.MapGet("/state", GetState);
        dashboard.MapGet("/charts/throughput.svg", (ThroughputHistory history) => Svg(SvgChart.Lines("Throughput", "events/s",
        [
            new("received", "#58a6ff", history.Samples.Select(s => s.Received).ToList()),
            new("persisted", "#a371f7", history.Samples.Select(s => s.Persisted).ToList()),
            new("fired", "#d29922", history.Samples.Select(s => s.Fired).ToList()),
            new("delivered", "#3fb950", history.Samples.Select(s => s.Delivered).ToList()),
            new("failed", "#f85149", history.Samples.Select(s => s.Failed).ToList()),
        ])));
        dashboard.MapGet("/charts/latency.svg", (ThroughputHistory history) => Svg(SvgChart.Lines("Firing lag and delivery latency", "ms",
        [
            new("lag p50", "#3fb950", history.Samples.Select(s => s.LagP50Ms).ToList()),
            new("lag p95", "#d29922", history.Samples.Select(s => s.LagP95Ms).ToList()),
            new("lag p99", "#f85149", history.Samples.Select(s => s.LagP99Ms).ToList()),
            new("delivery p99", "#58a6ff", history.Samples.Select(s => s.LatencyP99Ms).ToList()),
        ])));
        dashboard.MapPost("/dead-letters/{tenantId}/{id:guid}/redrive", async (string tenantId, Guid id, IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            var result = await grains.GetGrain<Orchestrator.Grains.Events.IEventGrain>(id).RedriveAsync(new TenantId(tenantId), cancellationToken);
            return result.Outcome == Orchestrator.Grains.Events.RedriveOutcome.Redriven
                ? Results.Ok(new { id, status = "PENDING" })
                : Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not redriven", detail: $"The event is {result.Outcome}.");
        });
        return dashboard;
    }

    private static async Task<IResult> GetState(
        SiloIdentity silo, ReminderService reminders, MaintenanceLeadership leadership, IGrainFactory grains,
        EventStatisticsStore statistics, EventStore events, IngestionFailureStore failures, DestinationGates gates,
        ThroughputHistory history, PrometheusExporter exporter, CancellationToken cancellationToken)
    {
        var cluster = await grains.GetGrain<IMaintenanceGrain>(Guid.Empty).GetClusterViewAsync(cancellationToken);
        var statuses = await statistics.ReadTotalsAsync(cancellationToken);
        var backlog = await statistics.ReadBacklogAsync(cancellationToken);
        var deadLetters = await events.ListRecentDeadLettersAsync(20, cancellationToken);
        var ingestionFailures = await failures.ListAsync(0, 10, cancellationToken);
        var last = history.Samples.LastOrDefault();
        return Results.Ok(new
        {
            Node = new { silo.Id, silo.Host, silo.StartedAt, Leader = leadership.IsLeader, reminders.InFlight, reminders.Fired },
            Cluster = cluster,
            Statuses = statuses.ToDictionary(s => s.Key.ToColumnName(), s => s.Value),
            Backlog = backlog,
            Rates = last,
            Totals = new
            {
                Received = exporter.CounterTotal("orchestrator_events_received"),
                Persisted = exporter.CounterTotal("orchestrator_events_persisted"),
                Fired = exporter.CounterTotal("orchestrator_events_fired"),
                Delivered = exporter.CounterTotal("orchestrator_events_delivered"),
                Failed = exporter.CounterTotal("orchestrator_events_failed"),
                Retried = exporter.CounterTotal("orchestrator_events_retried"),
                DeadLettered = exporter.CounterTotal("orchestrator_events_dead_lettered"),
            },
            Destinations = gates.All.OrderBy(g => g.Authority).Select(g => new
            {
                g.Authority,
                Circuit = g.Circuit.CircuitState.ToString().ToUpperInvariant(),
                g.InFlight,
                Limit = g.Concurrency,
                g.Attempts,
                g.Failures,
            }),
            DeadLetters = deadLetters.Select(d => new
            {
                d.TenantId, d.Event.Id, d.Event.ExternalJobId, d.Event.Destination, d.Event.Attempts,
                d.Event.LastStatusCode, d.Event.LastError, d.Event.UpdatedAt,
            }),
            IngestionFailures = ingestionFailures,
        });
    }

    private static IResult Svg(string svg) => Results.Text(svg, "image/svg+xml; charset=utf-8");

    private static string ReadPage()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("dashboard.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
