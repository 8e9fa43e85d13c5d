using Npgsql;
using Orchestrator.Grains.Events;

namespace Orchestrator.Grains.Storage.Events;

/// <summary>
/// Every statement on the events table, in bulk where there is more than one row.
/// Split by who asks: ingestion, reminders (claim, outcomes, recovery), and clients.
/// </summary>
public sealed partial class EventStore(NpgsqlDataSource dataSource)
{
    /// <summary>The channel on which silos are told that an event falls due soon.</summary>
    public const string DueChannel = "events_due";

    private const string ViewColumns = """
        id, external_job_id, source, scheduled_at, due_at, delivery_type, destination, payload::text,
        headers::text, max_retries, attempts, status, idempotency_key, last_status_code, last_error,
        created_at, updated_at, completed_at
        """;

    public async Task<EventView?> GetAsync(string tenantId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource,
            $"SELECT {ViewColumns} FROM events WHERE id = $1 AND tenant_id = $2", id, tenantId);
        return await ReadSingleViewAsync(command, cancellationToken);
    }

    /// <summary>Creates the daily partitions for [firstDay, firstDay + days); returns how many were new.</summary>
    public async Task<int> EnsurePartitionsAsync(DateOnly firstDay, int days, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, "SELECT ensure_event_partitions($1, $2)", firstDay, days);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Drops whole partitions past retention that hold nothing unfinished; returns their names.</summary>
    public async Task<IReadOnlyList<string>> DropExpiredPartitionsAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, "SELECT drop_expired_event_partitions($1)", retention);
        var dropped = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            dropped.Add(reader.GetString(0));
        }
        return dropped;
    }

    private static async Task<EventView?> ReadSingleViewAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadView(reader) : null;
    }

    private static async Task<IReadOnlyList<EventView>> ReadViewsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var views = new List<EventView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            views.Add(ReadView(reader));
        }
        return views;
    }

    /// <summary>Reads the view columns starting at column <paramref name="offset"/>.</summary>
    private static EventView ReadView(NpgsqlDataReader reader, int offset = 0) => new(
        Id: reader.GetGuid(offset),
        ExternalJobId: reader.GetString(offset + 1),
        Source: reader.GetString(offset + 2),
        ScheduledAt: reader.GetFieldValue<DateTimeOffset>(offset + 3),
        DueAt: reader.GetFieldValue<DateTimeOffset>(offset + 4),
        DeliveryType: ColumnValues.ToDeliveryType(reader.GetString(offset + 5)),
        Destination: reader.GetString(offset + 6),
        PayloadJson: reader.GetString(offset + 7),
        Headers: ColumnValues.HeadersFromColumn(reader.IsDBNull(offset + 8) ? null : reader.GetString(offset + 8)),
        MaxRetries: reader.GetInt32(offset + 9),
        Attempts: reader.GetInt32(offset + 10),
        Status: ColumnValues.ToEventStatus(reader.GetString(offset + 11)),
        IdempotencyKey: reader.IsDBNull(offset + 12) ? null : reader.GetString(offset + 12),
        LastStatusCode: reader.IsDBNull(offset + 13) ? null : reader.GetInt32(offset + 13),
        LastError: reader.IsDBNull(offset + 14) ? null : reader.GetString(offset + 14),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(offset + 15),
        UpdatedAt: reader.GetFieldValue<DateTimeOffset>(offset + 16),
        CompletedAt: reader.IsDBNull(offset + 17) ? null : reader.GetFieldValue<DateTimeOffset>(offset + 17));
}
