using NetGen;

namespace Samples.EmbeddedModel;

/// <summary>
/// The Iris network with its trained weights, input standardizer and species names compiled in from models/iris.ngw
/// (written by <c>samples/Iris --save</c>): <c>IrisClassifier.PredictEmbedded</c> takes raw measurements in centimetres,
/// needs no file, allocates nothing and is thread-safe. The declaration must match the checkpoint's (NG0024 otherwise).
/// </summary>
[Network(Inputs = 4, Loss = Loss.CrossEntropy, Weights = "models/iris.ngw")]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class IrisClassifier;
