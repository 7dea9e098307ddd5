using NetGen;

// A self-organizing map (Kohonen) of Fisher's Iris: 150 flowers of 4 measurements, standardised, mapped onto a 10 × 10
// grid with a fixed seed. Prints the quantisation error (mean distance from a flower to its best-matching unit) and the
// topographic error (share of flowers whose two best units are not neighbours) before and after training, how pure the
// units are in species, and writes the map as a PNG: the U-matrix in grey (dark: units close to their neighbours, the
// inside of a cluster; light: borders), each flower a dot on its best-matching unit, coloured by species.
// Exits 0 when training lowered both errors of the random start, and the topographic error of the default start.
// Usage: dotnet run -c Release --project samples/Som [-- --epochs N] [--seed S] [--plot som-iris.png]

int epochs = 100, seed = 1;
string plotPath = "som-iris.png";
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--epochs" when i + 1 < args.Length: epochs = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--seed" when i + 1 < args.Length: seed = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--plot" when i + 1 < args.Length: plotPath = args[++i]; break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: Som [--epochs N] [--seed S] [--plot som-iris.png]");
            return 2;
    }
}

var iris = CsvLoader.LoadClassification(Path.Combine(AppContext.BaseDirectory, "iris.csv"), labelColumn: "species");
var data = Standardizer.Fit(iris.Data).Transform(iris.Data);   // each measurement to mean 0, standard deviation 1

// The map as constructed: weights uniform in [−1, 1) from the seed, then trained from there (Keep).
var map = new IrisMap(seed);
float qeBefore = SomMeasures.QuantizationError(map, data), teBefore = SomMeasures.TopographicError(map, data);
var trainer = new SomTrainer<IrisMap>(map, seed) { Initialization = SomInitialization.Keep };
var clock = System.Diagnostics.Stopwatch.StartNew();
var history = trainer.Fit(data, epochs);
clock.Stop();
float qeAfter = SomMeasures.QuantizationError(map, data), teAfter = SomMeasures.TopographicError(map, data);

// The trainer's default start for comparison: every unit on a flower chosen by the seed. It quantises well from the
// outset (100 units sit on 100 of the 150 flowers) but has no order at all, which training then buys with some of it.
var fromFlowers = new IrisMap(seed);
var defaultTrainer = new SomTrainer<IrisMap>(fromFlowers, seed);
defaultTrainer.InitializeFromSamples(data);                       // what Fit does first, measured here
float qeFlowers = SomMeasures.QuantizationError(fromFlowers, data), teFlowers = SomMeasures.TopographicError(fromFlowers, data);
defaultTrainer.Fit(data, epochs);
float qeFlowersAfter = SomMeasures.QuantizationError(fromFlowers, data), teFlowersAfter = SomMeasures.TopographicError(fromFlowers, data);

var s = trainer.Schedule;
Console.WriteLine($"Iris on a {IrisMap.Width}×{IrisMap.Height} map: {data.Count} flowers, {epochs} epochs ({history.Steps} steps) from seed {seed}, " +
                  $"η {s.InitialLearningRate} → {s.FinalLearningRate}, σ {s.InitialRadius} → {s.FinalRadius} (geometric), trained in {clock.Elapsed.TotalMilliseconds:0} ms");
Console.WriteLine("start                                       quantisation error   topographic error");
Console.WriteLine($"random weights in [-1, 1)   before training  {qeBefore,10:0.0000}         {teBefore,10:0.0000}");
Console.WriteLine($"                            after training   {qeAfter,10:0.0000}         {teAfter,10:0.0000}");
Console.WriteLine($"units on flowers (default)  before training  {qeFlowers,10:0.0000}         {teFlowers,10:0.0000}");
Console.WriteLine($"                            after training   {qeFlowersAfter,10:0.0000}         {teFlowersAfter,10:0.0000}");
Console.WriteLine("Training from the random weights, epoch by epoch (the running error is measured before each flower's update):");
foreach (int e in new[] { 1, epochs / 4, epochs / 2, 3 * epochs / 4, epochs }.Distinct().Where(e => e >= 1))
{
    var epoch = history.Epochs[e - 1];
    Console.WriteLine($"  epoch {epoch.Epoch,4}: η {epoch.LearningRate:0.0000}, σ {epoch.Radius:0.000}, running quantisation error {epoch.QuantizationError:0.0000}");
}

// Purity: label each unit with the species it wins most; the share of flowers whose unit carries their own species.
int[,] counts = SomMeasures.ClassCounts(map, data);
int agree = 0, used = 0, mixed = 0;
for (int u = 0; u < IrisMap.Units; u++)
{
    int total = 0, most = 0, kinds = 0;
    for (int k = 0; k < counts.GetLength(1); k++)
    {
        total += counts[u, k];
        most = Math.Max(most, counts[u, k]);
        if (counts[u, k] > 0) kinds++;
    }
    agree += most;
    if (total > 0) used++;
    if (kinds > 1) mixed++;
}
Console.WriteLine($"purity {(double)agree / data.Count:0.000}: {agree} of {data.Count} flowers are on a unit whose majority species is theirs; " +
                  $"{used} of {IrisMap.Units} units win a flower, {mixed} of them flowers of two species");

SaveMap(map, data, iris.ClassNames, plotPath);
Console.WriteLine($"wrote {Path.GetFullPath(plotPath)}");
return qeAfter < qeBefore && teAfter < teBefore && teFlowersAfter < teFlowers ? 0 : 1;

static void SaveMap(IrisMap map, Dataset data, IReadOnlyList<string> species, string path)
{
    float[,] u = SomMeasures.UMatrix(map);
    var heights = new double[IrisMap.Height, IrisMap.Width];
    for (int r = 0; r < IrisMap.Height; r++)
        for (int c = 0; c < IrisMap.Width; c++)
            heights[r, c] = u[r, c];

    var plot = new ScottPlot.Plot();
    var heatmap = plot.Add.Heatmap(heights);
    heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
    // Cell (row, column) covers x ∈ [column, column + 1], y ∈ [row, row + 1]: row 0 at the bottom.
    heatmap.FlipVertically = true;
    heatmap.Rectangle = new ScottPlot.CoordinateRect(0, IrisMap.Width, 0, IrisMap.Height);
    var bar = plot.Add.ColorBar(heatmap);
    bar.Label = "U-matrix: mean distance to the 4 neighbours";

    // Each flower at its best-matching unit, spread a little (seeded) so that flowers on one unit stay visible.
    ScottPlot.Color[] colours = [ScottPlot.Colors.OrangeRed, ScottPlot.Colors.LimeGreen, ScottPlot.Colors.DodgerBlue];
    var jitter = new SeededRandom(7);
    for (int k = 0; k < species.Count; k++)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (int s = 0; s < data.Count; s++)
        {
            if (OneHot.Decode(data.Target(s)) != k) continue;
            var (row, column) = map.Locate(data.Input(s));
            xs.Add(column + 0.5 + jitter.NextSingle(-0.3f, 0.3f));
            ys.Add(row + 0.5 + jitter.NextSingle(-0.3f, 0.3f));
        }
        var markers = plot.Add.Markers(xs.ToArray(), ys.ToArray());
        markers.Color = colours[k % colours.Length];
        markers.MarkerSize = 7;
        markers.LegendText = species[k];
    }
    plot.Title($"Iris on a {IrisMap.Width}×{IrisMap.Height} self-organizing map");
    plot.XLabel("column");
    plot.YLabel("row");
    double[] columns = Enumerable.Range(0, IrisMap.Width).Select(c => c + 0.5).ToArray(), rows = Enumerable.Range(0, IrisMap.Height).Select(r => r + 0.5).ToArray();
    plot.Axes.Bottom.SetTicks(columns, columns.Select(c => ((int)c).ToString()).ToArray());
    plot.Axes.Left.SetTicks(rows, rows.Select(r => ((int)r).ToString()).ToArray());
    plot.Axes.SetLimits(0, IrisMap.Width, 0, IrisMap.Height);
    plot.ShowLegend(ScottPlot.Edge.Bottom);
    plot.SavePng(path, 760, 640);
}

/// <summary>100 units on a 10 × 10 grid, each with a weight vector of Iris's 4 standardised measurements.</summary>
[SelfOrganizingMap(10, 10, Inputs = 4)]
public partial class IrisMap { }
