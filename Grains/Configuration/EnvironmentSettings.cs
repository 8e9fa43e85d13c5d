using Microsoft.Extensions.Configuration;

namespace Orchestrator.Grains.Configuration;

/// <summary>
/// Reads the product's environment names (DB_HOST, SCHEDULER_BATCH_SIZE, ORCH_…) with
/// defaults, failing at start with the variable's name when a value is malformed.
/// </summary>
public static class EnvironmentSettings
{
    public static string GetString(this IConfiguration configuration, string name, string defaultValue)
    {
        var value = configuration[name];
        return string.IsNullOrWhiteSpace(value) ? defaultValue : value.Trim();
    }

    public static int GetInt(this IConfiguration configuration, string name, int defaultValue, int min = 0, int max = int.MaxValue)
    {
        var value = configuration[name];
        if (string.IsNullOrWhiteSpace(value))
        {
            return defaultValue;
        }
        if (!int.TryParse(value.Trim(), out var parsed) || parsed < min || parsed > max)
        {
            throw new InvalidOperationException($"{name} must be an integer between {min} and {max}; got '{value}'.");
        }
        return parsed;
    }

    public static TimeSpan GetMilliseconds(this IConfiguration configuration, string name, int defaultMs, int minMs = 1, int maxMs = int.MaxValue) =>
        TimeSpan.FromMilliseconds(configuration.GetInt(name, defaultMs, minMs, maxMs));

    public static bool GetBool(this IConfiguration configuration, string name, bool defaultValue)
    {
        var value = configuration[name];
        if (string.IsNullOrWhiteSpace(value))
        {
            return defaultValue;
        }
        return value.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new InvalidOperationException($"{name} must be true or false; got '{value}'."),
        };
    }
}
