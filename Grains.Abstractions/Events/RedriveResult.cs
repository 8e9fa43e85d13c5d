namespace Orchestrator.Grains.Events;

public enum RedriveOutcome
{
    /// <summary>The dead letter is PENDING again, due now, with its attempts reset.</summary>
    Redriven,
    /// <summary>The event exists but is not a dead letter.</summary>
    NotDeadLetter,
    NotFound,
}

public sealed record RedriveResult(RedriveOutcome Outcome, EventView? Event);
