using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orchestrator.Grains.Storage;

namespace Orchestrator.Api.Hosting;

/// <summary>Ready means: PostgreSQL answers and every migration of this build is applied.</summary>
public sealed class DatabaseHealthCheck(SchemaMigrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await migrator.IsMigratedAsync(cancellationToken)
                ? HealthCheckResult.Healthy("PostgreSQL reachable and migrated")
                : HealthCheckResult.Unhealthy("PostgreSQL reachable but not migrated");
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL unreachable");
        }
    }
}
