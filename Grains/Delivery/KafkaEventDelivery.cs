using System.Text;
using Confluent.Kafka;
using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Events;
using Orchestrator.Grains.Ingestion.Kafka;

namespace Orchestrator.Grains.Delivery;

/// <summary>
/// Produces the payload to the destination topic, keyed by the external job id, with the
/// event id in the headers for receivers to drop duplicates. acks=all, idempotent producer.
/// A failure is retried like an HTTP 5xx; an unknown or invalid topic is refused for good.
/// </summary>
public sealed class KafkaEventDelivery : IEventDelivery, IDisposable
{
    public const string EventIdHeader = "orchestrator-event-id";
    public const string AttemptHeader = "orchestrator-attempt";

    private readonly IProducer<string, string> _producer;

    public KafkaEventDelivery(KafkaOptions options) =>
        _producer = new ProducerBuilder<string, string>(KafkaClients.Producer(options, $"orchestrator-delivery-{Environment.MachineName}")).Build();

    public DeliveryType Type => DeliveryType.Kafka;

    public async Task<DeliveryResult> DeliverAsync(DueEvent due, CancellationToken cancellationToken)
    {
        var eventId = Encoding.UTF8.GetBytes(due.Id.ToString());
        var message = new Message<string, string>
        {
            Key = due.ExternalJobId,
            Value = due.PayloadJson,
            Headers = new Headers
            {
                { EventIdHeader, eventId },
                { "Idempotency-Key", eventId },
                { AttemptHeader, Encoding.UTF8.GetBytes(due.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
            },
        };
        try
        {
            await _producer.ProduceAsync(due.Destination, message, cancellationToken);
            return DeliveryResult.Delivered(null);
        }
        catch (ProduceException<string, string> ex) when (ex.Error.Code is ErrorCode.TopicException or ErrorCode.Local_InvalidArg or ErrorCode.TopicAuthorizationFailed)
        {
            return DeliveryResult.Rejected($"topic refused: {ex.Error.Reason}");
        }
        catch (KafkaException ex)
        {
            return DeliveryResult.Failed($"kafka: {ex.Error.Reason}");
        }
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }
}
