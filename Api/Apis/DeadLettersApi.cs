using Microsoft.AspNetCore.Http.HttpResults;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Tenancy;
using Orchestrator.Api.Validation;
using Orchestrator.Grains.Events;
using Orchestrator.Grains.Runtime;
using Orchestrator.Grains.Storage.Events;

namespace Orchestrator.Api.Apis;

/// <summary>Dead letters: list them, redrive one, redrive many.</summary>
public static class DeadLettersApi
{
    private const int MaxPageSize = 500;

    public static RouteGroupBuilder MapDeadLettersApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/dead-letters").WithTags("Dead letters").RequireAuthorization()
            .RequireTenantRateLimit();
        api.MapGet("", List);
        api.MapPost("/{id:guid}/redrive", RedriveOne);
        api.MapPost("/redrive", RedriveMany).Accepts<RedriveRequest>("application/json").ProducesValidationProblem();
        return api;
    }

    public static async Task<Results<Ok<EventPageResponse>, ValidationProblem>> List(
        CallerTenant tenant, EventStore events, CancellationToken cancellationToken, int page = 0, int size = 50)
    {
        if (Paging.Invalid(page, size, MaxPageSize) is { } invalid)
        {
            return invalid;
        }
        var rows = await events.ListDeadLettersAsync(tenant.Id.Value, page * size, size + 1, cancellationToken);
        return TypedResults.Ok(Paging.Page(rows, page, size));
    }

    public static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> RedriveOne(
        Guid id, CallerTenant tenant, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var result = await grains.GetGrain<IEventGrain>(id).RedriveAsync(tenant.Id, cancellationToken);
        return result.Outcome switch
        {
            RedriveOutcome.Redriven => TypedResults.Ok(EventResponse.From(result.Event!)),
            RedriveOutcome.NotDeadLetter => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not a dead letter",
                detail: $"The event is {result.Event!.Status.ToString().ToUpperInvariant()}; only dead letters can be redriven."),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No dead letter with that id exists for this tenant."),
        };
    }

    public static async Task<IResult> RedriveMany(
        HttpRequest request, CallerTenant tenant, EventStore events, SubmissionLimits limits, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadAsync(request, 1024 * 1024, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        using (document)
        {
            var errors = new FieldErrors();
            var ids = new List<Guid>();
            if (document!.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("ids", out var items) || items.ValueKind != System.Text.Json.JsonValueKind.Array)
            {
                errors.Add("ids", "is required: an array of event ids");
                return Problems.Validation(errors);
            }
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind == System.Text.Json.JsonValueKind.String && Guid.TryParse(item.GetString(), out var id))
                {
                    ids.Add(id);
                }
                else
                {
                    errors.Add($"ids[{index}]", "must be an event id (UUID)");
                }
                index++;
            }
            if (ids.Count is 0 || ids.Count > limits.MaxBatchSize)
            {
                errors.Add("ids", $"must hold between 1 and {limits.MaxBatchSize} ids");
            }
            if (!errors.IsEmpty)
            {
                return Problems.Validation(errors);
            }
            var distinct = ids.Distinct().ToList();
            var redriven = await events.RedriveAsync(tenant.Id.Value, distinct, cancellationToken);
            var set = redriven.ToHashSet();
            return TypedResults.Ok(new RedriveResponse(redriven, distinct.Where(id => !set.Contains(id)).ToList()));
        }
    }
}
