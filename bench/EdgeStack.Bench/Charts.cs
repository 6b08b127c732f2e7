using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace EdgeStack.Bench;

/// <summary>PNG charts of the latency and start-time distributions, written next to RESULTS.md's images.</summary>
internal sealed class Charts(string directory, string linkPrefix)
{
    private static readonly double[] s_percentileTicks = [50, 90, 99, 99.9, 99.99];

    /// <summary>Latency against percentile on an HdrHistogram-style axis (each tick one more nine).</summary>
    /// <returns>The image's path relative to RESULTS.md.</returns>
    public string LatencyDistribution(string fileName, string title, IReadOnlyDictionary<string, IReadOnlyDictionary<double, double>> curves)
    {
        var plot = new Plot();
        foreach (var (name, curve) in curves)
        {
            var points = curve.Where(p => p.Key < 100).OrderBy(p => p.Key).ToArray();
            var scatter = plot.Add.Scatter(points.Select(p => Nines(p.Key)).ToArray(), points.Select(p => p.Value).ToArray());
            scatter.LegendText = name;
            scatter.LineWidth = 2;
            scatter.MarkerSize = 5;
        }

        var ticks = new NumericManual();
        foreach (var p in s_percentileTicks)
        {
            ticks.AddMajor(Nines(p), p.ToString(CultureInfo.InvariantCulture) + "%");
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsX(0, Nines(99.99) + 0.1);
        plot.Title(title);
        plot.XLabel("percentile");
        plot.YLabel("latency (ms)");
        plot.ShowLegend(Alignment.UpperLeft);
        return Save(plot, fileName);
    }

    /// <summary>Each run of each variant as a dot, the median as a bar.</summary>
    /// <returns>The image's path relative to RESULTS.md.</returns>
    public string Runs(string fileName, string title, string unit, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series)
    {
        var plot = new Plot();
        var ticks = new NumericManual();
        for (var i = 0; i < series.Count; i++)
        {
            var (name, values) = series[i];
            var median = Stats.Of(values).Median;
            var bar = plot.Add.Bar(i, median);
            bar.Color = Colors.LightSteelBlue;
            var dots = plot.Add.ScatterPoints(values.Select((_, k) => i + ((k % 5) - 2) * 0.05).ToArray(), values.ToArray());
            dots.Color = Colors.DarkBlue;
            dots.MarkerSize = 6;
            ticks.AddMajor(i, name.Replace(' ', '\n'));
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel(unit);
        return Save(plot, fileName);
    }

    private static double Nines(double percentile) => -Math.Log10(1 - (percentile / 100.0));

    private string Save(Plot plot, string fileName)
    {
        Directory.CreateDirectory(directory);
        plot.SavePng(Path.Combine(directory, fileName), 900, 520);
        return linkPrefix + fileName;
    }
}
