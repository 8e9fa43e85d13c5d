using Npgsql;

namespace Orchestrator.Grains.Storage;

public sealed record IngestionFailure(
    string Topic, int Partition, long Offset, string? Key, string Reason, int MessageBytes, string MessageExcerpt, DateTimeOffset RecordedAt);

/// <summary>The ingestion_failures table: poison messages, recorded once per topic offset.</summary>
public sealed class IngestionFailureStore(NpgsqlDataSource dataSource)
{
    public async Task RecordAsync(IReadOnlyList<IngestionFailure> failures, CancellationToken cancellationToken)
    {
        if (failures.Count == 0)
        {
            return;
        }
        await using var command = Sql.Command(dataSource, """
            INSERT INTO ingestion_failures (topic, kafka_partition, kafka_offset, message_key, reason, message_bytes, message_excerpt)
            SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[], $6::int[], $7::text[])
            ON CONFLICT (topic, kafka_partition, kafka_offset) DO NOTHING
            """,
            failures.Select(f => f.Topic).ToArray(), failures.Select(f => f.Partition).ToArray(),
            failures.Select(f => f.Offset).ToArray(), failures.Select(f => f.Key).ToArray(),
            failures.Select(f => f.Reason).ToArray(), failures.Select(f => f.MessageBytes).ToArray(),
            // PostgreSQL text cannot hold NUL; the excerpt is for people, so drop it.
            failures.Select(f => f.MessageExcerpt.Replace("\0", "")).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<IngestionFailure>> ListAsync(int offset, int limit, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            SELECT topic, kafka_partition, kafka_offset, message_key, reason, message_bytes, message_excerpt, recorded_at
            FROM ingestion_failures ORDER BY recorded_at DESC, id DESC OFFSET $1 LIMIT $2
            """, offset, limit);
        var failures = new List<IngestionFailure>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            failures.Add(new IngestionFailure(reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetInt32(5),
                reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return failures;
    }
}
