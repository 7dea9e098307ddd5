using NetGen;

namespace Samples.EmbeddedModel;

/// <summary>
/// The Iris network with its trained weights compiled in from models/iris.ngw: <c>IrisClassifier.PredictEmbedded</c>
/// needs no file, allocates nothing and is thread-safe. The declaration must match the checkpoint's (NG0024 otherwise).
/// </summary>
[Network(Inputs = 4, Loss = Loss.CrossEntropy, Weights = "models/iris.ngw")]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class IrisClassifier
{
    /// <summary>The species, in the order of the outputs (samples/Iris sorts the CSV's labels).</summary>
    public static readonly string[] Species = ["setosa", "versicolor", "virginica"];

    // The standardisation the network was trained with, printed by samples/Iris --save: x′ = (x − mean) / scale.
    private static ReadOnlySpan<float> Mean => [5.82884598f, 3.06442308f, 3.72788453f, 1.17692304f];
    private static ReadOnlySpan<float> Scale => [0.835932553f, 0.463456541f, 1.81380689f, 0.775245726f];

    /// <summary>Class probabilities for raw measurements in centimetres (sepal length, sepal width, petal length, petal width).</summary>
    public static void Classify(ReadOnlySpan<float> measurements, Span<float> probabilities)
    {
        Span<float> x = stackalloc float[InputSize];
        for (int j = 0; j < InputSize; j++)
            x[j] = (measurements[j] - Mean[j]) / Scale[j];
        PredictEmbedded(x, probabilities);
    }
}
