namespace Orchestrator.Grains.Events;

/// <summary>
/// The event grain's reminder callback. The silo activates due grains in bulk by
/// claiming their rows, so the reminder arrives with the activation's state already
/// loaded; the grain delivers and answers with the transition to record.
/// </summary>
public interface IEventReminder
{
    Task<EventTransition> ReceiveReminderAsync(DueEvent due, CancellationToken cancellationToken);
}
