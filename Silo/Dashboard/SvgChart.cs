using System.Globalization;
using System.Net;
using System.Text;

namespace Orchestrator.Silo.Dashboard;

/// <summary>A line chart rendered on the server as SVG: series over time, a scale, a legend.</summary>
public static class SvgChart
{
    public sealed record Series(string Name, string Color, IReadOnlyList<double> Values);

    public static string Lines(string title, string unit, IReadOnlyList<Series> series, int width = 640, int height = 220)
    {
        const int left = 56, right = 12, top = 28, bottom = 36;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var points = series.Count == 0 ? 0 : series.Max(s => s.Values.Count);
        var max = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        max = NiceCeiling(max);
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"system-ui, sans-serif\" font-size=\"11\">"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"#161b22\" rx=\"6\"/>"));
        svg.Append(Invariant($"<text x=\"{left}\" y=\"18\" fill=\"#e6edf3\" font-size=\"13\" font-weight=\"600\">{WebUtility.HtmlEncode(title)}</text>"));
        for (var i = 0; i <= 4; i++)
        {
            var y = top + plotHeight - plotHeight * i / 4.0;
            svg.Append(Invariant($"<line x1=\"{left}\" y1=\"{y:0.#}\" x2=\"{left + plotWidth}\" y2=\"{y:0.#}\" stroke=\"#30363d\"/>"));
            svg.Append(Invariant($"<text x=\"{left - 6}\" y=\"{y + 4:0.#}\" fill=\"#8b949e\" text-anchor=\"end\">{Format(max * i / 4)}</text>"));
        }
        svg.Append(Invariant($"<text x=\"{left}\" y=\"{height - 8}\" fill=\"#8b949e\">−{points}s</text>"));
        svg.Append(Invariant($"<text x=\"{left + plotWidth}\" y=\"{height - 8}\" fill=\"#8b949e\" text-anchor=\"end\">now · {WebUtility.HtmlEncode(unit)}</text>"));
        var legendX = left + 8 * title.Length + 24;
        foreach (var s in series)
        {
            if (s.Values.Count > 0)
            {
                var step = points > 1 ? plotWidth / (double)(points - 1) : 0;
                var offset = points - s.Values.Count;
                var path = string.Join(' ', s.Values.Select((v, i) =>
                    Invariant($"{left + (offset + i) * step:0.#},{top + plotHeight - plotHeight * Math.Min(v, max) / max:0.#}")));
                svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.6\" points=\"{path}\"/>"));
            }
            svg.Append(Invariant($"<rect x=\"{legendX}\" y=\"10\" width=\"10\" height=\"3\" fill=\"{s.Color}\"/>"));
            svg.Append(Invariant($"<text x=\"{legendX + 14}\" y=\"15\" fill=\"#c9d1d9\">{WebUtility.HtmlEncode(s.Name)}</text>"));
            legendX += 14 + 7 * s.Name.Length + 14;
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static double NiceCeiling(double value)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 2.5, 5, 10 }.Select(f => f * magnitude).First(v => v >= value);
    }

    private static string Format(double value) => value >= 10_000 ? Invariant($"{value / 1000:0.#}k") : Invariant($"{value:0.##}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
