using NetGen.Tests.Reference;

namespace NetGen.Tests.Recurrent;

using L = RecurrentReference.Layer;

[Network(Inputs = 2, SequenceLength = 5, Loss = Loss.MeanSquaredError)]
[Recurrent(4)]
[Dense(1)]
public partial class ElmanManyToOne { }

[Network(Inputs = 3, SequenceLength = 4, Loss = Loss.BinaryCrossEntropy)]
[Recurrent(3, Activation.ReLU, ReturnSequences = true)]
[Recurrent(4)]
[Dense(2, Activation.Sigmoid)]
public partial class StackedElmanBce { }

/// <summary><see cref="StackedElmanBce"/> with the time loops of RecurrentKernels instead of unrolled steps.</summary>
[Network(Inputs = 3, SequenceLength = 4, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)]
[Recurrent(3, Activation.ReLU, ReturnSequences = true)]
[Recurrent(4)]
[Dense(2, Activation.Sigmoid)]
public partial class StackedElmanBceLooped { }

[Network(Inputs = 2, SequenceLength = 4, Loss = Loss.MeanSquaredError)]
[Gru(3, ReturnSequences = true)]
[Dense(1)]
public partial class GruManyToMany { }

[Network(Inputs = 2, SequenceLength = 5, Loss = Loss.CrossEntropy)]
[Lstm(3, ReturnSequences = true)]
[Lstm(4)]
[Dense(3, Activation.Softmax)]
public partial class StackedLstmClassifier { }

[Network(Inputs = 1, SequenceLength = 6, Loss = Loss.MeanAbsoluteError)]
[Gru(5)]
[Dense(2)]
public partial class GruMae { }

[Network(Inputs = 2, SequenceLength = 3, Loss = Loss.MeanSquaredError)]
[Lstm(3, ReturnSequences = true)]
[Dropout(0.2)]
[Recurrent(2, ReturnSequences = true)]
[Dense(2, Activation.Tanh)]
public partial class LstmElmanManyToMany { }

[Network(Inputs = 1, SequenceLength = 3, Loss = Loss.MeanSquaredError)]
[Lstm(2)]
public partial class BareLstm { }

/// <summary>The two LSTM layers of <see cref="StackedLstmClassifier"/>, the first with its forget gate starting open.</summary>
[Network(Inputs = 2, SequenceLength = 5, Loss = Loss.CrossEntropy)]
[Lstm(3, ReturnSequences = true, ForgetBias = 1.5)]
[Lstm(4, ForgetBias = 0)]
[Dense(3, Activation.Softmax)]
public partial class OpenForgetGateClassifier { }

/// <summary>A dense layer at every step before two stacked GRUs: its gradients need the GRUs' ∂L/∂xₜ.</summary>
[Network(Inputs = 2, SequenceLength = 4, Loss = Loss.MeanSquaredError)]
[Dense(3, Activation.Tanh)]
[Gru(3, ReturnSequences = true)]
[Gru(2)]
[Dense(1)]
public partial class DenseThenStackedGru { }

/// <summary>
/// Elman, GRU and LSTM layers — one and two of them, many-to-one and many-to-many, every loss — against the independent
/// double-precision reference: outputs, losses, gradients (against central differences of the reference), the batch
/// kernel against per-sample sums, PyTorch's layout and initialisation, and training.
/// </summary>
public class RecurrentTests
{
    private static readonly Dictionary<Type, (RecurrentReference Reference, string Loss)> Networks = new()
    {
        [typeof(ElmanManyToOne)] = (new(5, 2, "mse", ElmanManyToOne.ParameterLayout, new L("elman-tanh", 4), new L("dense", 1)), "mse"),
        [typeof(StackedElmanBce)] = (new(4, 3, "bce", StackedElmanBce.ParameterLayout, new L("elman-relu", 3, Sequences: true), new L("elman-tanh", 4), new L("dense", 2, Activation: "sigmoid")), "bce"),
        [typeof(StackedElmanBceLooped)] = (new(4, 3, "bce", StackedElmanBceLooped.ParameterLayout, new L("elman-relu", 3, Sequences: true), new L("elman-tanh", 4), new L("dense", 2, Activation: "sigmoid")), "bce"),
        [typeof(GruManyToMany)] = (new(4, 2, "mse", GruManyToMany.ParameterLayout, new L("gru", 3, Sequences: true), new L("dense", 1)), "mse"),
        [typeof(StackedLstmClassifier)] = (new(5, 2, "ce", StackedLstmClassifier.ParameterLayout, new L("lstm", 3, Sequences: true), new L("lstm", 4), new L("dense", 3, Activation: "softmax")), "ce"),
        [typeof(GruMae)] = (new(6, 1, "mae", GruMae.ParameterLayout, new L("gru", 5), new L("dense", 2)), "mae"),
        [typeof(LstmElmanManyToMany)] = (new(3, 2, "mse", LstmElmanManyToMany.ParameterLayout, new L("lstm", 3, Sequences: true), new L("elman-tanh", 2, Sequences: true), new L("dense", 2, Activation: "tanh")), "mse"),
        [typeof(BareLstm)] = (new(3, 1, "mse", BareLstm.ParameterLayout, new L("lstm", 2)), "mse"),
        [typeof(DenseThenStackedGru)] = (new(4, 2, "mse", DenseThenStackedGru.ParameterLayout, new L("dense", 3, Activation: "tanh"), new L("gru", 3, Sequences: true), new L("gru", 2), new L("dense", 1)), "mse"),
    };

    private static void AgreesWithTheReference<T>() where T : class, INetwork<T>
    {
        var (reference, loss) = Networks[typeof(T)];
        var random = new Random(typeof(T).Name.Length);
        for (int trial = 0; trial < 5; trial++)
        {
            var net = T.Create(trial + 1);
            // Non-zero, non-symmetric parameters well away from 0 so every gate and path matters.
            for (int i = 0; i < net.Parameters.Length; i++) net.Parameters[i] += (float)(0.3 * (random.NextDouble() - 0.5));
            var x = Enumerable.Range(0, T.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var y = SampleChecks.Target(loss, T.OutputSize, random);
            double[] theta = net.Parameters.ToArray().Select(v => (double)v).ToArray();
            double[] xd = x.Select(v => (double)v).ToArray(), yd = y.Select(v => (double)v).ToArray();

            var output = new float[T.OutputSize];
            net.Predict(x, output);
            double[] expected = reference.Forward(theta, xd);
            Assert.Equal(expected.Length, output.Length);
            for (int i = 0; i < output.Length; i++)
                Assert.True(Math.Abs(output[i] - expected[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"{typeof(T).Name} output {i}: {output[i]} vs {expected[i]}");

            var gradients = new float[T.ParameterCount];
            float sampleLoss = net.Backward(x, y, gradients);
            double expectedLoss = reference.Loss(theta, xd, yd);
            Assert.True(Math.Abs(sampleLoss - expectedLoss) <= 1e-4 * Math.Abs(expectedLoss) + 1e-6, $"{typeof(T).Name} loss {sampleLoss} vs {expectedLoss}");
            Assert.Equal(sampleLoss, net.ComputeLoss(x, y));

            double[] numeric = reference.NumericGradient(theta, xd, yd);
            double largest = numeric.Max(Math.Abs);
            for (int k = 0; k < numeric.Length; k++)
            {
                double tolerance = 1e-3 * Math.Abs(numeric[k]) + 1e-4 * largest;
                Assert.True(Math.Abs(gradients[k] - numeric[k]) <= tolerance,
                    $"{typeof(T).Name} trial {trial}: ∂L/∂{T.ParameterName(k)} is {gradients[k]:G9} generated but {numeric[k]:G9} by finite differences of the reference");
            }
        }
    }

    [Fact] public void Elman_many_to_one_matches_the_reference() => AgreesWithTheReference<ElmanManyToOne>();
    [Fact] public void Stacked_Elman_with_relu_and_binary_cross_entropy_matches_the_reference() => AgreesWithTheReference<StackedElmanBce>();
    [Fact] public void Stacked_Elman_in_time_loops_matches_the_reference() => AgreesWithTheReference<StackedElmanBceLooped>();
    [Fact] public void Gru_many_to_many_with_a_dense_layer_at_every_step_matches_the_reference() => AgreesWithTheReference<GruManyToMany>();
    [Fact] public void Stacked_Lstm_classifier_matches_the_reference() => AgreesWithTheReference<StackedLstmClassifier>();
    [Fact] public void Gru_with_mean_absolute_error_matches_the_reference() => AgreesWithTheReference<GruMae>();
    [Fact] public void Lstm_then_Elman_many_to_many_matches_the_reference() => AgreesWithTheReference<LstmElmanManyToMany>();
    [Fact] public void A_bare_Lstm_output_layer_matches_the_reference() => AgreesWithTheReference<BareLstm>();
    [Fact] public void Stacked_Gru_after_a_dense_layer_at_every_step_matches_the_reference() => AgreesWithTheReference<DenseThenStackedGru>();

    private static void BatchIsTheSumOfSamples<T>() where T : class, INetwork<T>
    {
        var (_, loss) = Networks[typeof(T)];
        var random = new Random(7);
        var net = T.Create(3);
        const int count = 5;
        var inputs = Enumerable.Range(0, count * T.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var targets = Enumerable.Range(0, count).SelectMany(_ => SampleChecks.Target(loss, T.OutputSize, random)).ToArray();
        SampleChecks.BatchIsTheSumOfSamples<T>(net.Parameters, inputs, targets, count);
    }

    [Fact]
    public void The_batch_kernel_equals_the_per_sample_sum()
    {
        BatchIsTheSumOfSamples<ElmanManyToOne>();
        BatchIsTheSumOfSamples<StackedElmanBce>();
        BatchIsTheSumOfSamples<GruManyToMany>();
        BatchIsTheSumOfSamples<StackedLstmClassifier>();
        BatchIsTheSumOfSamples<GruMae>();
        BatchIsTheSumOfSamples<LstmElmanManyToMany>(); // dropout between recurrent layers, in training mode
        BatchIsTheSumOfSamples<BareLstm>();
        BatchIsTheSumOfSamples<DenseThenStackedGru>();
    }

    [Fact]
    public void The_layout_is_PyTorchs_and_initialisation_is_uniform_on_one_over_root_H()
    {
        var layout = StackedLstmClassifier.ParameterLayout;
        // weight_ih_l0 [4·3, 2], weight_hh_l0 [4·3, 3], bias_ih_l0 [12], bias_hh_l0 [12]; then layer 2; then the dense layer.
        Assert.Equal(["Wih1", "Whh1", "bih1", "bhh1", "Wih2", "Whh2", "bih2", "bhh2", "W3", "b3"], layout.Select(b => b.Name).ToArray());
        Assert.Equal((12, 2), (layout[0].Rows, layout[0].Columns));
        Assert.Equal((12, 3), (layout[1].Rows, layout[1].Columns));
        Assert.Equal((16, 3), (layout[4].Rows, layout[4].Columns));
        Assert.Equal((16, 4), (layout[5].Rows, layout[5].Columns));
        Assert.Equal(ParameterRole.RecurrentWeight, layout[1].Role);
        Assert.Equal(4 * 3 * (2 + 3 + 2) + 4 * 4 * (3 + 4 + 2) + 3 * 4 + 3, StackedLstmClassifier.ParameterCount);
        var net = new StackedLstmClassifier(5);
        foreach (var block in layout.Take(8))
        {
            double limit = 1 / Math.Sqrt(block.Name.EndsWith('1') ? 3 : 4);
            var values = net.Parameters.Slice(block.Offset, block.Length).ToArray();
            Assert.All(values, v => Assert.InRange(v, -limit, limit));
            Assert.True(values.Max() - values.Min() > limit, $"{block.Name} does not spread over ±{limit}"); // not all 0
        }
        Assert.Equal("netgen-1 inputs=2 steps=5 lstm(3,sequences) lstm(4) dense(3,softmax) loss=cross-entropy", StackedLstmClassifier.Architecture);
        Assert.Equal(10, StackedLstmClassifier.InputSize);
        Assert.Equal(4, GruManyToMany.OutputSize); // a dense output at each of the 4 steps
    }

    [Fact]
    public void ForgetBias_sets_the_forget_gates_initial_bias_and_leaves_every_other_draw_as_pytorchs()
    {
        var plain = new StackedLstmClassifier(5).Parameters.ToArray();
        var open = new OpenForgetGateClassifier(5).Parameters.ToArray();
        Assert.Equal(StackedLstmClassifier.ParameterCount, plain.Length);
        Assert.Equal(StackedLstmClassifier.Architecture, OpenForgetGateClassifier.Architecture); // initialisation only, not topology
        var forget = new Dictionary<int, float>();
        foreach (var (name, units, value) in new[] { ("bih1", 3, 1.5f), ("bhh1", 3, 0f), ("bih2", 4, 0f), ("bhh2", 4, 0f) })
        {
            // PyTorch's gate order i, f, g, o: the forget gate is the second block of H rows.
            var block = OpenForgetGateClassifier.ParameterLayout.Single(b => b.Name == name);
            for (int j = units; j < 2 * units; j++) forget[block.Offset + j] = value;
        }
        for (int k = 0; k < plain.Length; k++)
        {
            if (forget.TryGetValue(k, out float value))
                Assert.True(open[k] == value, $"{OpenForgetGateClassifier.ParameterName(k)} is {open[k]}, not the forget bias {value}");
            else
                Assert.True(open[k] == plain[k], $"{OpenForgetGateClassifier.ParameterName(k)} is {open[k]} but {plain[k]} without ForgetBias");
        }
    }

    [Fact]
    public void Predict_allocates_nothing()
    {
        var net = new StackedLstmClassifier(1);
        var x = new float[StackedLstmClassifier.InputSize];
        var output = new float[3];
        var warm = System.Diagnostics.Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 300) net.Predict(x, output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5_000; i++) net.Predict(x, output);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void An_Lstm_learns_to_add_the_first_and_last_inputs_of_a_sequence()
    {
        // y = x₁ + x₆ over 6 steps: the first value must be carried through 5 steps of distractors.
        var random = new Random(3);
        const int n = 600;
        var inputs = new float[n * 6];
        var targets = new float[n];
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < 6; t++) inputs[i * 6 + t] = (float)(random.NextDouble() * 2 - 1);
            targets[i] = inputs[i * 6] + inputs[i * 6 + 5];
        }
        var data = new Dataset(inputs, targets, 6, 1);
        var (train, test) = data.Split(0.2, 1);
        var net = new AddFirstAndLast(2);
        var trainer = new Trainer<AddFirstAndLast>(net, new Adam(0.01f), 1) { BatchSize = 16 };
        float before = trainer.Evaluate(test).MeanSquaredError;
        trainer.Fit(train, 40);
        float after = trainer.Evaluate(test).MeanSquaredError;
        // Predicting the mean scores the targets' variance, 2/3; the trained LSTM must do far better.
        Assert.True(after < 0.05f, $"test MSE {after} (before training {before})");
    }
}

[Network(Inputs = 1, SequenceLength = 6, Loss = Loss.MeanSquaredError)]
[Lstm(8)]
[Dense(1)]
public partial class AddFirstAndLast { }

/// <summary>What a recurrent network does outside the generated code: checkpoints, ONNX refusals, training with clipping.</summary>
public class RecurrentRuntimeTests
{
    [Fact]
    public void A_checkpoint_round_trips_and_an_mlp_model_does_not_import_into_a_recurrent_network()
    {
        var saved = new StackedLstmClassifier(4);
        var stream = new MemoryStream();
        Checkpoint.Save(saved, stream);
        var loaded = new StackedLstmClassifier(9);
        stream.Position = 0;
        Checkpoint.Load(loaded, stream);
        Assert.Equal(saved.Parameters.ToArray(), loaded.Parameters.ToArray());
        var import = Assert.Throws<NetGen.Onnx.OnnxImportException>(() => NetGen.Onnx.OnnxImporter.Import(loaded, NetGen.Onnx.OnnxExporter.ToBytes(new Training.IrisNet(1))));
        Assert.Contains("has width 4 but StackedLstmClassifier.InputSize is 10", import.Message);
        Assert.Equal(saved.Parameters.ToArray(), loaded.Parameters.ToArray());
    }

    private static void OnnxRuntimeAgrees<T>() where T : class, INetwork<T>
    {
        var net = T.Create(2);
        var random = new Random(5);
        for (int i = 0; i < net.Parameters.Length; i++) net.Parameters[i] += (float)(0.2 * (random.NextDouble() - 0.5));
        const int rows = 7;
        var batch = Enumerable.Range(0, rows * T.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(NetGen.Onnx.OnnxExporter.ToBytes(net));
        using var results = session.Run([Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("input",
            new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(batch, [rows, T.InputSize]))]);
        float[] onnx = results.Single().AsTensor<float>().ToArray();
        Assert.Equal(rows * T.OutputSize, onnx.Length);
        var output = new float[T.OutputSize];
        for (int r = 0; r < rows; r++)
        {
            net.Predict(batch.AsSpan(r * T.InputSize, T.InputSize), output);
            for (int k = 0; k < T.OutputSize; k++)
                Assert.True(Math.Abs(output[k] - onnx[r * T.OutputSize + k]) <= 1e-5f * Math.Max(1f, Math.Abs(output[k])),
                    $"{typeof(T).Name} row {r} output {k}: Predict {output[k]}, ONNX Runtime {onnx[r * T.OutputSize + k]}");
        }
    }

    [Fact]
    public void Onnx_runtime_runs_the_exported_RNN_GRU_and_LSTM_operators_as_Predict_does()
    {
        OnnxRuntimeAgrees<ElmanManyToOne>();         // RNN (tanh), last state, Gemm
        OnnxRuntimeAgrees<StackedElmanBce>();        // RNN (ReLU) sequences into RNN (tanh)
        OnnxRuntimeAgrees<GruManyToMany>();          // GRU sequences, a dense layer at every step
        OnnxRuntimeAgrees<StackedLstmClassifier>();  // LSTM into LSTM, softmax
        OnnxRuntimeAgrees<GruMae>();
        OnnxRuntimeAgrees<LstmElmanManyToMany>();    // dropout between, tanh at every step
        OnnxRuntimeAgrees<BareLstm>();               // an LSTM output layer
    }

    private static void RoundTrip<T>() where T : class, INetwork<T>
    {
        var source = T.Create(4);
        var target = T.Create(8);
        NetGen.Onnx.OnnxImporter.Import(target, NetGen.Onnx.OnnxExporter.ToBytes(source));
        Assert.Equal(source.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits), target.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Export_then_import_of_RNN_GRU_and_LSTM_is_bit_exact_and_a_cell_of_another_kind_is_refused()
    {
        RoundTrip<ElmanManyToOne>();
        RoundTrip<StackedElmanBce>();
        RoundTrip<GruManyToMany>();
        RoundTrip<StackedLstmClassifier>();
        RoundTrip<GruMae>();
        RoundTrip<LstmElmanManyToMany>();
        RoundTrip<BareLstm>();
        // A GRU model into an LSTM declaration of the same shape, and a ReLU Elman layer into a tanh one.
        var gru = NetGen.Onnx.OnnxExporter.ToBytes(new GruMae(1));
        var wrongCell = Assert.Throws<NetGen.Onnx.OnnxImportException>(() => NetGen.Onnx.OnnxImporter.Import(new LstmLikeGruMae(1), gru));
        Assert.Contains("expected LSTM, found GRU", wrongCell.Message);
        var relu = NetGen.Onnx.OnnxExporter.ToBytes(new StackedElmanBce(1));
        var wrongActivation = Assert.Throws<NetGen.Onnx.OnnxImportException>(() => NetGen.Onnx.OnnxImporter.Import(new TanhLikeStackedElman(1), relu));
        Assert.Contains("RNN activation Tanh", wrongActivation.Message);
    }

    [Fact]
    public void Training_an_Elman_network_with_clipping_allocates_nothing_per_epoch()
    {
        var random = new Random(2);
        var inputs = Enumerable.Range(0, 64 * 10).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var targets = Enumerable.Range(0, 64).Select(i => inputs[i * 10 + 8] * inputs[i * 10 + 9]).ToArray();
        var data = new Dataset(inputs, targets, 10, 1);
        var net = new ElmanManyToOne(1);
        var trainer = new Trainer<ElmanManyToOne>(net, new Adam(0.01f), 1) { BatchSize = 8, ClipGradientNorm = 1f };
        long perEpoch = -1;
        long start = 0;
        trainer.Callbacks.Add(new EpochMeter(e => { if (e == 3) start = GC.GetAllocatedBytesForCurrentThread(); if (e == 6) perEpoch = GC.GetAllocatedBytesForCurrentThread() - start; }));
        var history = trainer.Fit(data, 6);
        Assert.True(history.Epochs[^1].Loss < history.Epochs[0].Loss, "the loss did not go down");
        Assert.Equal(0, perEpoch);
    }

    private sealed class EpochMeter(Action<int> onEnd) : Callback
    {
        public override void OnEpochEnd(TrainingContext context, EpochResult result) => onEnd(result.Epoch);
    }
}

[Network(Inputs = 1, SequenceLength = 6, Loss = Loss.MeanAbsoluteError)]
[Lstm(5)]
[Dense(2)]
public partial class LstmLikeGruMae { }

[Network(Inputs = 3, SequenceLength = 4, Loss = Loss.BinaryCrossEntropy)]
[Recurrent(3, ReturnSequences = true)]
[Recurrent(4)]
[Dense(2, Activation.Sigmoid)]
public partial class TanhLikeStackedElman { }
