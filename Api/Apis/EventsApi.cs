using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Tenancy;
using Orchestrator.Api.Validation;
using Orchestrator.Grains.Events;
using Orchestrator.Grains.Ingestion;
using Orchestrator.Grains.Runtime;
using Orchestrator.Grains.Storage;
using Orchestrator.Grains.Storage.Events;
using Orchestrator.Grains.Telemetry;

namespace Orchestrator.Api.Apis;

/// <summary>The events resource: schedule, look up, count and cancel.</summary>
public static class EventsApi
{
    private const int MaxPageSize = 500;

    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/events").WithTags("Events").RequireAuthorization()
            .RequireTenantRateLimit();

        api.MapPost("", Schedule).Accepts<ScheduleEventRequest>("application/json")
            .Produces<AcceptedEventResponse>(StatusCodes.Status202Accepted).Produces<EventResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/batch", ScheduleBatch).Accepts<ScheduleBatchRequest>("application/json")
            .Produces<BatchResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/statistics", GetStatistics);
        api.MapGet("/{id:guid}", GetEvent);
        api.MapGet("/external/{externalJobId}", GetLatestByExternalId);
        api.MapGet("/external/{externalJobId}/all", ListByExternalId);
        api.MapDelete("/{id:guid}", CancelEvent);
        api.MapDelete("/external/{externalJobId}", CancelByExternalId);
        return api;
    }

    public static async Task<IResult> Schedule(
        HttpRequest request, CallerTenant tenant, EventRequestReader reader, DestinationScreen screen, SubmissionLimits limits,
        IEventIngestion ingestion, IGrainFactory grains, OrchestratorMetrics metrics, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadAsync(request, limits.MaxPayloadBytes + 64 * 1024, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        using (document)
        {
            var headerKey = request.Headers["Idempotency-Key"].FirstOrDefault();
            if (headerKey is { Length: 0 or > SubmissionLimits.MaxFieldLength })
            {
                var errors = new FieldErrors();
                errors.Add("Idempotency-Key", $"must be 1 to {SubmissionLimits.MaxFieldLength} characters");
                return Problems.Validation(errors);
            }
            if (!reader.TryRead(document!.RootElement, headerKey, out var submission, out var fieldErrors))
            {
                return Problems.Validation(fieldErrors);
            }
            if ((await screen.RefusalsAsync([submission!], cancellationToken)).TryGetValue(0, out var refusal))
            {
                fieldErrors.Add("destination", refusal);
                return Problems.Validation(fieldErrors);
            }
            var results = await ScheduleOrUnavailable(ingestion, metrics, tenant, [submission!], cancellationToken);
            if (results is null)
            {
                return Unavailable();
            }
            var result = results[0];
            var location = $"/api/v1/events/{result.EventId}";
            if (result.Duplicate)
            {
                var original = await grains.GetGrain<IEventGrain>(result.EventId).GetAsync(tenant.Id, cancellationToken);
                return original is null ? Problems.NotFound("event") : TypedResults.Ok(EventResponse.From(original));
            }
            return TypedResults.Accepted(location, new AcceptedEventResponse(result.EventId, EventStatus.Pending, submission!.ScheduledAt));
        }
    }

    public static async Task<IResult> ScheduleBatch(
        HttpRequest request, CallerTenant tenant, EventRequestReader reader, DestinationScreen screen, SubmissionLimits limits,
        IEventIngestion ingestion, OrchestratorMetrics metrics, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadAsync(request, limits.MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        using (document)
        {
            var root = document!.RootElement;
            var shapeErrors = new FieldErrors();
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                shapeErrors.Add("events", "is required: an array of events");
                return Problems.Validation(shapeErrors);
            }
            var count = items.GetArrayLength();
            if (count == 0 || count > limits.MaxBatchSize)
            {
                shapeErrors.Add("events", $"must hold between 1 and {limits.MaxBatchSize} events");
                return Problems.Validation(shapeErrors);
            }

            var results = new BatchItemResult?[count];
            var valid = new List<(int Index, NewEvent Event)>(count);
            var allErrors = new FieldErrors();
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                if (reader.TryRead(item, null, out var submission, out var errors))
                {
                    valid.Add((index, submission!));
                }
                else
                {
                    results[index] = new BatchItemResult(index, null, BatchItemStatus.Rejected, errors.ToDictionary());
                    allErrors.AddAll(errors, $"events[{index}].");
                }
                index++;
            }
            var refusals = await screen.RefusalsAsync(valid.Select(v => v.Event).ToList(), cancellationToken);
            foreach (var (position, refusal) in refusals)
            {
                var itemIndex = valid[position].Index;
                var errors = new FieldErrors();
                errors.Add("destination", refusal);
                results[itemIndex] = new BatchItemResult(itemIndex, null, BatchItemStatus.Rejected, errors.ToDictionary());
                allErrors.AddAll(errors, $"events[{itemIndex}].");
            }
            valid = valid.Where((_, position) => !refusals.ContainsKey(position)).ToList();
            if (valid.Count == 0)
            {
                return Problems.Validation(allErrors, "No event in the batch is valid; nothing was stored.");
            }

            var scheduled = await ScheduleOrUnavailable(ingestion, metrics, tenant, valid.Select(v => v.Event).ToList(), cancellationToken);
            if (scheduled is null)
            {
                return Unavailable();
            }
            for (var i = 0; i < valid.Count; i++)
            {
                var (itemIndex, _) = valid[i];
                var outcome = scheduled[i];
                results[itemIndex] = new BatchItemResult(itemIndex, outcome.EventId,
                    outcome.Duplicate ? BatchItemStatus.Duplicate : BatchItemStatus.Accepted, null);
            }
            var duplicates = scheduled.Count(s => s.Duplicate);
            return TypedResults.Json(
                new BatchResponse(valid.Count - duplicates, duplicates, count - valid.Count, results!),
                statusCode: StatusCodes.Status202Accepted);
        }
    }

    public static async Task<Ok<StatisticsResponse>> GetStatistics(
        CallerTenant tenant, EventStatisticsStore statistics, CancellationToken cancellationToken)
    {
        var snapshot = await statistics.ReadAsync(tenant.Id.Value, cancellationToken);
        return TypedResults.Ok(new StatisticsResponse(snapshot.Counts, snapshot.Counts.Values.Sum(), snapshot.AsOf));
    }

    public static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> GetEvent(
        Guid id, CallerTenant tenant, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var view = await grains.GetGrain<IEventGrain>(id).GetAsync(tenant.Id, cancellationToken);
        return view is null ? Problems.NotFound("event") : TypedResults.Ok(EventResponse.From(view));
    }

    public static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> GetLatestByExternalId(
        string externalJobId, CallerTenant tenant, EventStore events, CancellationToken cancellationToken)
    {
        var view = await events.GetLatestByExternalIdAsync(tenant.Id.Value, externalJobId, cancellationToken);
        return view is null ? Problems.NotFound("event for that external job id") : TypedResults.Ok(EventResponse.From(view));
    }

    public static async Task<Results<Ok<EventPageResponse>, ValidationProblem>> ListByExternalId(
        string externalJobId, CallerTenant tenant, EventStore events, CancellationToken cancellationToken,
        int page = 0, int size = 50)
    {
        if (Paging.Invalid(page, size, MaxPageSize) is { } invalid)
        {
            return invalid;
        }
        var rows = await events.ListByExternalIdAsync(tenant.Id.Value, externalJobId, page * size, size + 1, cancellationToken);
        return TypedResults.Ok(Paging.Page(rows, page, size));
    }

    public static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> CancelEvent(
        Guid id, CallerTenant tenant, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var result = await grains.GetGrain<IEventGrain>(id).CancelAsync(tenant.Id, cancellationToken);
        return result.Outcome switch
        {
            CancelOutcome.Cancelled => TypedResults.Ok(EventResponse.From(result.Event!)),
            CancelOutcome.TooLate => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Too late to cancel",
                detail: $"The event is {result.Event!.Status.ToString().ToUpperInvariant()}; only PENDING events and dead letters can be cancelled."),
            _ => Problems.NotFound("event"),
        };
    }

    public static async Task<Ok<CancelledCountResponse>> CancelByExternalId(
        string externalJobId, CallerTenant tenant, EventStore events, CancellationToken cancellationToken)
    {
        var cancelled = await events.CancelByExternalIdAsync(tenant.Id.Value, externalJobId, cancellationToken);
        return TypedResults.Ok(new CancelledCountResponse(externalJobId, cancelled));
    }

    private static async Task<IReadOnlyList<ScheduleResult>?> ScheduleOrUnavailable(
        IEventIngestion ingestion, OrchestratorMetrics metrics, CallerTenant tenant, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            var results = await ingestion.ScheduleAsync(tenant.Id, events, cancellationToken);
            metrics.Received.Add(results.Count(r => !r.Duplicate));
            return results;
        }
        catch (IngestionUnavailableException)
        {
            return null;
        }
    }

    private static IResult Unavailable() =>
        Problems.Unavailable("The event could not be stored durably just now; nothing was accepted. Retry shortly.", TimeSpan.FromSeconds(1));
}
