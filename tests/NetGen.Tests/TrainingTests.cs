using NetGen.Tests.Networks;

namespace NetGen.Tests;

[Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet { }

public class TrainingTests
{
    private static Dataset Xor() => Dataset.FromRows([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]);

    [Fact]
    public void Xor_trains_below_0_01_with_plain_sgd_within_2000_epochs()
    {
        var net = new XorNet(seed: 1);
        var trainer = new Trainer<XorNet>(net, new Sgd(0.5f), seed: 1) { BatchSize = 4 };
        var history = trainer.Fit(Xor(), epochs: 2000);

        var data = Xor();
        float loss = 0;
        var output = new float[1];
        for (int i = 0; i < data.Count; i++)
        {
            loss += net.ComputeLoss(data.Input(i), data.Target(i)) / data.Count;
            net.Predict(data.Input(i), output);
            Assert.True(Math.Abs(output[0] - data.Target(i)[0]) < 0.2f, $"XOR case {i} predicts {output[0]}.");
        }
        Assert.True(loss < 0.01f, $"XOR ended at loss {loss}.");
        Assert.Equal(2000, history.Epochs.Count);
        Assert.True(history.Epochs[0].Loss > 10 * history.FinalLoss, "The loss did not fall.");
    }

    [Fact]
    public void Training_is_reproducible_bit_for_bit()
    {
        float[] Train()
        {
            var net = new XorNet(seed: 3);
            new Trainer<XorNet>(net, new Sgd(0.3f), seed: 9) { BatchSize = 3 }.Fit(Xor(), epochs: 50);
            return net.Parameters.ToArray();
        }
        Assert.Equal(Train(), Train());
    }

    [Fact]
    public void One_full_batch_step_is_theta_minus_eta_times_the_mean_gradient()
    {
        var data = Xor();
        var net = new XorNet(seed: 2);
        var before = net.Parameters.ToArray();
        var sum = new float[XorNet.ParameterCount];
        for (int i = 0; i < data.Count; i++)
            XorNet.Backward(before, data.Input(i), data.Target(i), sum);

        new Trainer<XorNet>(net, new Sgd(0.25f)) { BatchSize = 4 }.Fit(data, epochs: 1);
        for (int k = 0; k < before.Length; k++)
            Assert.Equal(before[k] - 0.25f * (sum[k] / 4f), net.Parameters[k], 1e-6f);
    }

    [Fact]
    public void Fit_rejects_data_of_the_wrong_width_naming_both_widths()
    {
        var trainer = new Trainer<XorNet>(new XorNet(), new Sgd(0.1f));
        var wide = Dataset.FromRows([[0f, 0f, 0f]], [[0f]]);
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(wide, 1));
        Assert.Contains("3 values", error.Message);
        Assert.Contains("XorNet.InputSize is 2", error.Message);
    }

    [Fact]
    public void A_loss_that_becomes_infinite_stops_training_with_the_epoch_and_batch()
    {
        var net = new Scalar(1);
        var data = Dataset.FromRows([[1e30f], [1e30f]], [[0f], [0f]]);
        var trainer = new Trainer<Scalar>(net, new Sgd(0.1f)) { BatchSize = 1 };
        var before = net.Parameters.ToArray();
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data, 3));
        Assert.Contains("epoch 1, batch 1", error.Message);
        Assert.Contains("learning rate", error.Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void Sgd_step_is_theta_minus_eta_g()
    {
        float[] theta = [1f, -2f, 0.5f];
        float[] g = [0.5f, 1f, -4f];
        new Sgd(0.1f).Step(theta, g);
        Assert.Equal([1f - 0.1f * 0.5f, -2f - 0.1f * 1f, 0.5f + 0.1f * 4f], theta);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(float.NaN));
        Assert.Throws<ArgumentException>(() => new Sgd(0.1f).Step(new float[2], new float[3]));
    }

    [Fact]
    public void Dataset_validates_its_shape()
    {
        Assert.Throws<ArgumentException>(() => new Dataset(new float[5], new float[2], inputWidth: 2, targetWidth: 1));
        Assert.Throws<ArgumentException>(() => new Dataset(new float[4], new float[3], inputWidth: 2, targetWidth: 1));
        var ragged = Assert.Throws<ArgumentException>(() => Dataset.FromRows([[1f, 2f], [3f]], [[0f], [1f]]));
        Assert.Contains("Row 1", ragged.Message);
        var data = new Dataset([1, 2, 3, 4], [5, 6], 2, 1);
        Assert.Equal(2, data.Count);
        Assert.Equal([3f, 4f], data.Input(1).ToArray());
        Assert.Equal(6f, data.Target(1)[0]);
    }
}
