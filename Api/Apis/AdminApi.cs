using Microsoft.AspNetCore.Http.HttpResults;
using Orchestrator.Api.Tenancy;
using Orchestrator.Grains.Maintenance;
using Orchestrator.Grains.Runtime;
using Orchestrator.Grains.Storage;

namespace Orchestrator.Api.Apis;

/// <summary>Operating the cluster: run maintenance now, see the cluster. Admin credentials only.</summary>
public static class AdminApi
{
    public sealed record DutyReportResponse(string Duty, long Affected, string Summary, double TookMs);

    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(AdminAuthenticationHandler.PolicyName);
        api.MapPost("/maintenance/run", RunMaintenance);
        api.MapGet("/cluster", GetCluster);
        api.MapGet("/ingestion-failures", ListIngestionFailures);
        return api;
    }

    public static async Task<Ok<IReadOnlyList<DutyReportResponse>>> RunMaintenance(IGrainFactory grains, CancellationToken cancellationToken)
    {
        var reports = await grains.GetGrain<IMaintenanceGrain>(Guid.Empty).RunNowAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<DutyReportResponse>>(
            reports.Select(r => new DutyReportResponse(r.Duty, r.Affected, r.Summary, r.Took.TotalMilliseconds)).ToList());
    }

    public sealed record IngestionFailurePage(IReadOnlyList<IngestionFailure> Items, int Page, int Size, bool HasMore);

    /// <summary>Messages from the ingestion topic that could not become events (also on the dead-letter topic).</summary>
    public static async Task<Results<Ok<IngestionFailurePage>, ValidationProblem>> ListIngestionFailures(
        IngestionFailureStore failures, CancellationToken cancellationToken, int page = 0, int size = 50)
    {
        if (Paging.Invalid(page, size, 500) is { } invalid)
        {
            return invalid;
        }
        var rows = await failures.ListAsync(page * size, size + 1, cancellationToken);
        return TypedResults.Ok(new IngestionFailurePage(rows.Take(size).ToList(), page, size, rows.Count > size));
    }

    public static async Task<Ok<ClusterView>> GetCluster(IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.GetGrain<IMaintenanceGrain>(Guid.Empty).GetClusterViewAsync(cancellationToken));
}
