namespace Orchestrator.Grains.Events;

public enum CancelOutcome
{
    /// <summary>The event is now CANCELLED (or already was): it will not be delivered.</summary>
    Cancelled,
    /// <summary>The event is being delivered, was delivered, or is otherwise past cancelling.</summary>
    TooLate,
    NotFound,
}

/// <summary>The result of a cancel, with the event as it stands afterwards.</summary>
public sealed record CancelResult(CancelOutcome Outcome, EventView? Event);
