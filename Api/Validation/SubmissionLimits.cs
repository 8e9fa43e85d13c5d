using Orchestrator.Grains.Configuration;

namespace Orchestrator.Api.Validation;

/// <summary>Bounds on what a client may submit; everything past them is a 400, never a 500.</summary>
public sealed record SubmissionLimits(
    int MaxBodyBytes,
    int MaxPayloadBytes,
    int MaxBatchSize,
    int MaxRetries,
    int MaxHeaders,
    TimeSpan MaxScheduleAhead,
    TimeSpan PastTolerance)
{
    public const int MaxFieldLength = 255;
    public const int MaxDestinationLength = 2048;
    public const int MaxHeaderNameLength = 128;
    public const int MaxHeaderValueLength = 4096;
    public const int MaxJsonDepth = 64;

    public static SubmissionLimits FromConfiguration(IConfiguration configuration) => new(
        configuration.GetInt("ORCH_MAX_BODY_BYTES", 16 * 1024 * 1024, 1024),
        configuration.GetInt("ORCH_MAX_PAYLOAD_BYTES", 256 * 1024, 16),
        configuration.GetInt("ORCH_MAX_BATCH_SIZE", 1000, 1, 10_000),
        configuration.GetInt("ORCH_MAX_RETRIES_LIMIT", 50, 0, 1000),
        configuration.GetInt("ORCH_MAX_HEADERS", 50, 0, 500),
        TimeSpan.FromDays(configuration.GetInt("ORCH_MAX_SCHEDULE_AHEAD_DAYS", 366, 1, 36_600)),
        TimeSpan.FromSeconds(configuration.GetInt("ORCH_PAST_TOLERANCE_SECONDS", 86_400, 0)));
}
