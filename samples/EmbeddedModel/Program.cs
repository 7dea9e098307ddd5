using System.Diagnostics;
using System.Globalization;
using Samples.EmbeddedModel;

// Classifies an iris from four measurements given on the command line, with the trained network (weights, input
// standardizer and species names) compiled into this program: it reads no file.
// Usage: dotnet run -c Release --project samples/EmbeddedModel -- 5.1 3.5 1.4 0.2
//        dotnet run -c Release --project samples/EmbeddedModel -- --time     (measures the call)
// NativeAOT: dotnet publish -c Release samples/EmbeddedModel -p:PublishAot=true  (one native executable; see the README)

if (args is ["--time"])
{
    // First call (includes JIT), then the steady-state cost of one call. For exact figures against a baseline see the
    // EmbeddedModel benchmarks in benchmarks/NetGen.Benchmarks.
    Span<float> o = stackalloc float[IrisClassifier.OutputSize];
    float[] sample = [6.3f, 2.9f, 5.6f, 1.8f];
    var first = Stopwatch.StartNew();
    IrisClassifier.PredictEmbedded(sample, o);
    first.Stop();
    const int calls = 1_000_000;
    for (int i = 0; i < calls; i++) IrisClassifier.PredictEmbedded(sample, o); // warm-up: lets the JIT finish tiering up
    var clock = new Stopwatch();
    long before = GC.GetAllocatedBytesForCurrentThread();
    clock.Start();
    for (int i = 0; i < calls; i++) IrisClassifier.PredictEmbedded(sample, o);
    clock.Stop();
    long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
    Console.WriteLine($"first call {first.Elapsed.TotalMicroseconds:0} µs; then {clock.Elapsed.TotalNanoseconds / calls:0.0} ns per call, " +
                      $"{allocated} bytes allocated over {calls:N0} calls ");
    return 0;
}

if (args.Length != 4 || !args.All(a => float.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
{
    Console.Error.WriteLine("Give four measurements in cm: sepal length, sepal width, petal length, petal width. Example: 5.1 3.5 1.4 0.2");
    return 2;
}

float[] measurements = args.Select(a => float.Parse(a, CultureInfo.InvariantCulture)).ToArray();
var probabilities = new float[IrisClassifier.OutputSize];
IrisClassifier.PredictEmbedded(measurements, probabilities); // raw centimetres: the standardizer is compiled in
var species = IrisClassifier.EmbeddedClassNames;
int best = 0;
for (int k = 1; k < probabilities.Length; k++)
    if (probabilities[k] > probabilities[best]) best = k;
Console.WriteLine($"{species[best]}  (" + string.Join(", ", species.Select((s, k) => $"{s} {probabilities[k]:0.000}")) + ")");
return 0;
