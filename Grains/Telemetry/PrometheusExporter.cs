using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Orchestrator.Grains.Telemetry;

/// <summary>
/// The minimum Prometheus text exposition (format 0.0.4) for this host's meter: counters as
/// `_total`, histograms with cumulative `le` buckets, `_sum` and `_count`, and gauges. No
/// exporter package exists in the registry here, so this is ours. It listens only to its own
/// host's meter, so several hosts in one process (the tests) do not mix their numbers.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly double[] SizeBuckets = [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Series> _series = new();

    public PrometheusExporter(OrchestratorMetrics metrics)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                _series[instrument] = new Series(instrument, instrument.Unit == "s" ? SecondsBuckets : SizeBuckets);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var series in _series.Values.OrderBy(s => s.Instrument.Name, StringComparer.Ordinal))
        {
            series.Render(text);
        }
        return text.ToString();
    }

    /// <summary>A counter's total over all its label sets (0 before anything was counted).</summary>
    public double CounterTotal(string name) =>
        _series.Values.FirstOrDefault(s => s.Instrument.Name == name)?.Total() ?? 0;

    /// <summary>A histogram's bucket upper bounds and (non-cumulative) counts, over all label sets.</summary>
    public (double[] Bounds, long[] Counts) HistogramBuckets(string name) =>
        _series.Values.FirstOrDefault(s => s.Instrument.Name == name)?.Buckets() ?? ([], []);

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.TryGetValue(instrument, out var series))
        {
            series.Record(value, Labels(tags));
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }
        var parts = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
            parts.Add($"{tag.Key}=\"{value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")}\"");
        }
        parts.Sort(StringComparer.Ordinal);
        return string.Join(',', parts);
    }

    private sealed class Series(Instrument instrument, double[] buckets)
    {
        private readonly ConcurrentDictionary<string, Cell> _cells = new(StringComparer.Ordinal);

        public Instrument Instrument { get; } = instrument;

        private string Kind => Instrument switch
        {
            Counter<long> or Counter<double> or ObservableCounter<long> => "counter",
            Histogram<long> or Histogram<double> => "histogram",
            _ => "gauge",
        };

        public void Record(double value, string labels)
        {
            var cell = _cells.GetOrAdd(labels, _ => new Cell(buckets.Length));
            lock (cell)
            {
                if (Kind == "gauge")
                {
                    cell.Sum = value;
                    return;
                }
                cell.Sum += value;
                cell.Count++;
                var bucket = Array.FindIndex(buckets, b => value <= b);
                if (bucket >= 0)
                {
                    cell.Buckets[bucket]++;
                }
            }
        }

        public double Total() => _cells.Values.Sum(c => { lock (c) { return c.Sum; } });

        public (double[] Bounds, long[] Counts) Buckets()
        {
            var counts = new long[buckets.Length + 1];
            foreach (var cell in _cells.Values)
            {
                lock (cell)
                {
                    for (var i = 0; i < buckets.Length; i++)
                    {
                        counts[i] += cell.Buckets[i];
                    }
                    counts[^1] += cell.Count - cell.Buckets.Sum();
                }
            }
            return ([.. buckets, double.PositiveInfinity], counts);
        }

        public void Render(StringBuilder text)
        {
            var kind = Kind;
            var name = kind == "counter" ? Instrument.Name + "_total" : Instrument.Name;
            text.Append("# HELP ").Append(name).Append(' ').Append(Instrument.Description ?? Instrument.Name).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(kind).Append('\n');
            if (_cells.IsEmpty && kind != "gauge")
            {
                _cells.TryAdd("", new Cell(buckets.Length));
            }
            foreach (var (labels, cell) in _cells.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                lock (cell)
                {
                    if (kind != "histogram")
                    {
                        text.Append(name).Append(Braces(labels)).Append(' ').Append(Number(cell.Sum)).Append('\n');
                        continue;
                    }
                    long cumulative = 0;
                    for (var i = 0; i < buckets.Length; i++)
                    {
                        cumulative += cell.Buckets[i];
                        text.Append(name).Append("_bucket").Append(Braces(Join(labels, $"le=\"{Number(buckets[i])}\""))).Append(' ').Append(cumulative).Append('\n');
                    }
                    text.Append(name).Append("_bucket").Append(Braces(Join(labels, "le=\"+Inf\""))).Append(' ').Append(cell.Count).Append('\n');
                    text.Append(name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(cell.Sum)).Append('\n');
                    text.Append(name).Append("_count").Append(Braces(labels)).Append(' ').Append(cell.Count).Append('\n');
                }
            }
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

        private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

        private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }

    private sealed class Cell(int buckets)
    {
        public long[] Buckets { get; } = new long[buckets];
        public double Sum { get; set; }
        public long Count { get; set; }
    }
}
