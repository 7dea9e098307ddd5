using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NetGen.Benchmarks;

/// <summary>Adds the suite's two columns: achieved GFLOP/s, and that as a percentage of the same run's one-thread FMA peak.</summary>
public sealed class SuiteConfig : ManualConfig
{
    /// <summary>The default configuration plus <see cref="FlopColumn"/> twice.</summary>
    public SuiteConfig()
    {
        AddColumn(new FlopColumn(percentOfPeak: false), new FlopColumn(percentOfPeak: true));
    }
}

/// <summary>
/// GFLOP/s of a row = <see cref="SuiteBenchmarks.Flops"/>[method] / mean time; "% peak" divides that by the GFLOP/s of the
/// <c>FmaPeak</c> row of the same summary. Empty for rows without a count (L2Read).
/// </summary>
public sealed class FlopColumn(bool percentOfPeak) : IColumn
{
    /// <inheritdoc/>
    public string Id => percentOfPeak ? "PercentOfPeak" : "GflopPerSecond";

    /// <inheritdoc/>
    public string ColumnName => percentOfPeak ? "% peak" : "GFLOP/s";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => percentOfPeak ? 1 : 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => percentOfPeak
        ? $"Achieved GFLOP/s as a percentage of the FmaPeak row (one thread's {Yardsticks.Width} FMA throughput, same run)"
        : "Floating-point operations of the row's work (SuiteBenchmarks.Flops) per nanosecond of its mean time";

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? rate = Rate(summary, benchmarkCase);
        if (rate is null) return "-";
        if (!percentOfPeak) return rate.Value.ToString("F2");
        var peakCase = summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.WorkloadMethod.Name == nameof(SuiteBenchmarks.FmaPeak));
        double? peak = peakCase is null ? null : Rate(summary, peakCase);
        return peak is null ? "-" : (100 * rate.Value / peak.Value).ToString("F1") + "%";
    }

    private static double? Rate(Summary summary, BenchmarkCase benchmarkCase)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } statistics) return null;
        return SuiteBenchmarks.Flops.TryGetValue(benchmarkCase.Descriptor.WorkloadMethod.Name, out double flops) ? flops / statistics.Mean : null;
    }
}
