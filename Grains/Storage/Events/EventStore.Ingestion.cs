using Npgsql;
using Orchestrator.Grains.Ingestion;

namespace Orchestrator.Grains.Storage.Events;

public sealed partial class EventStore
{
    /// <summary>How far ahead an event may fall due and still wake the silos at once.</summary>
    private static readonly TimeSpan NotifyHorizon = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Inserts accepted events in one multi-row statement inside the caller's transaction.
    /// An event already stored (the same id redelivered) is skipped, so replays are harmless.
    /// Silos are notified, at commit, when any of them falls due within the next minute.
    /// </summary>
    public static async Task<int> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction,
        IReadOnlyList<(string TenantId, NewEvent Event)> rows, CancellationToken cancellationToken)
    {
        var count = rows.Count;
        var ids = new Guid[count];
        var tenants = new string[count];
        var externalIds = new string[count];
        var sources = new string[count];
        var scheduledAt = new DateTime[count];
        var deliveryTypes = new string[count];
        var destinations = new string[count];
        var payloads = new string[count];
        var headers = new string?[count];
        var maxRetries = new int[count];
        var idempotencyKeys = new string?[count];
        var earliest = DateTimeOffset.MaxValue;
        for (var i = 0; i < count; i++)
        {
            var (tenant, e) = rows[i];
            ids[i] = e.Id;
            tenants[i] = tenant;
            externalIds[i] = e.ExternalJobId;
            sources[i] = e.Source;
            scheduledAt[i] = e.ScheduledAt.UtcDateTime;
            deliveryTypes[i] = e.DeliveryType.ToColumn();
            destinations[i] = e.Destination;
            payloads[i] = e.PayloadJson;
            headers[i] = ColumnValues.HeadersToColumn(e.Headers);
            maxRetries[i] = e.MaxRetries;
            idempotencyKeys[i] = e.IdempotencyKey;
            if (e.ScheduledAt < earliest)
            {
                earliest = e.ScheduledAt;
            }
        }

        await using var insert = Sql.Command(connection, transaction, """
            INSERT INTO events (id, tenant_id, external_job_id, source, scheduled_at, due_at, delivery_type,
                                destination, payload, headers, max_retries, attempts, status, idempotency_key,
                                created_at, updated_at)
            SELECT t.id, t.tenant_id, t.external_job_id, t.source, t.scheduled_at, t.scheduled_at, t.delivery_type,
                   t.destination, t.payload::json, t.headers::jsonb, t.max_retries, 0, 'PENDING', t.idempotency_key,
                   now(), now()
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[],
                        $8::text[], $9::text[], $10::int[], $11::text[])
                 AS t(id, tenant_id, external_job_id, source, scheduled_at, delivery_type, destination,
                      payload, headers, max_retries, idempotency_key)
            ON CONFLICT DO NOTHING
            """,
            ids, tenants, externalIds, sources, scheduledAt, deliveryTypes, destinations, payloads, headers,
            maxRetries, idempotencyKeys);
        var inserted = await insert.ExecuteNonQueryAsync(cancellationToken);

        if (inserted > 0 && earliest <= DateTimeOffset.UtcNow + NotifyHorizon)
        {
            await using var notify = Sql.Command(connection, transaction, $"SELECT pg_notify('{DueChannel}', '')");
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
        return inserted;
    }
}
