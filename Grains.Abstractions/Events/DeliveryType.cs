namespace Orchestrator.Grains.Events;

public enum DeliveryType
{
    Http,
    Kafka,
}
