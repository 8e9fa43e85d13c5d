namespace Orchestrator.Silo.Reminders;

/// <summary>The reasons the reminder loop may wake before its poll interval is up.</summary>
public sealed class ReminderWakeups
{
    /// <summary>An event falls due soon (a NOTIFY, or a retry recorded with a short delay).</summary>
    public Wakeup DueSoon { get; } = new();

    /// <summary>A delivery finished, so there is room to claim more.</summary>
    public Wakeup CapacityFreed { get; } = new();
}
