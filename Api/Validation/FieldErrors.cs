namespace Orchestrator.Api.Validation;

/// <summary>Field-level reasons, keyed by the field's JSON path (e.g. "events[3].destination").</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string reason)
    {
        if (!_errors.TryGetValue(field, out var reasons))
        {
            _errors[field] = reasons = [];
        }
        reasons.Add(reason);
    }

    public void AddAll(FieldErrors other, string prefix)
    {
        foreach (var (field, reasons) in other._errors)
        {
            foreach (var reason in reasons)
            {
                Add(prefix + field, reason);
            }
        }
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
