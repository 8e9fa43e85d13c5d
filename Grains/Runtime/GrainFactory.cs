using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Grains.Runtime;

/// <summary>Makes a grain from its key; each grain type registers an activator.</summary>
public interface IGrainActivator<out TGrain> where TGrain : IGrainWithGuidKey
{
    TGrain Activate(Guid key);
}

public sealed class GrainFactory(IServiceProvider services) : IGrainFactory
{
    public TGrain GetGrain<TGrain>(Guid key) where TGrain : IGrainWithGuidKey =>
        services.GetRequiredService<IGrainActivator<TGrain>>().Activate(key);
}
