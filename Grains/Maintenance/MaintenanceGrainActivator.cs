using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Grains.Runtime;

namespace Orchestrator.Grains.Maintenance;

/// <summary>The maintenance grain is a singleton: its one key is <see cref="Guid.Empty"/>.</summary>
public sealed class MaintenanceGrainActivator(IServiceProvider services) : IGrainActivator<IMaintenanceGrain>
{
    public IMaintenanceGrain Activate(Guid key) => key == Guid.Empty
        ? services.GetRequiredService<MaintenanceGrain>()
        : throw new ArgumentException("The maintenance grain is a singleton; its key is Guid.Empty.", nameof(key));
}
