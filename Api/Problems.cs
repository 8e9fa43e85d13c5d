using Orchestrator.Api.Validation;

namespace Orchestrator.Api;

/// <summary>RFC 9457 problem details, the one shape every error of the API takes.</summary>
public static class Problems
{
    public static IResult Status(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    public static IResult Validation(FieldErrors errors, string detail = "One or more fields are invalid.") =>
        TypedResults.ValidationProblem(errors.ToDictionary(), detail: detail, title: "Invalid request");

    /// <summary>404 for anything the caller's tenant does not have (another tenant's too: no existence leak).</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No {what} exists for this tenant.");

    public static IResult Unavailable(string detail, TimeSpan retryAfter) =>
        new RetryAfterResult(Status(StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail), retryAfter);

    private sealed class RetryAfterResult(IResult inner, TimeSpan retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
