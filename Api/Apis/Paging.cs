using Microsoft.AspNetCore.Http.HttpResults;
using Orchestrator.Api.Contracts;
using Orchestrator.Grains.Events;

namespace Orchestrator.Api.Apis;

/// <summary>page (from 0) and size query parameters, shared by the list endpoints.</summary>
public static class Paging
{
    public static ValidationProblem? Invalid(int page, int size, int maxSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 0 || page > 100_000)
        {
            errors["page"] = ["must be between 0 and 100000"];
        }
        if (size < 1 || size > maxSize)
        {
            errors["size"] = [$"must be between 1 and {maxSize}"];
        }
        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, title: "Invalid paging");
    }

    /// <summary>Builds a page from rows fetched with one extra, which tells whether more follow.</summary>
    public static EventPageResponse Page(IReadOnlyList<EventView> rows, int page, int size) =>
        new(rows.Take(size).Select(EventResponse.From).ToList(), page, size, rows.Count > size);
}
