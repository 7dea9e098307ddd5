using NetGen.Tests.Networks;

namespace NetGen.Tests;

/// <summary>Wrong span lengths throw, naming the expected length, before anything is written.</summary>
public class ArgumentTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(0)]
    public void Predict_rejects_an_input_of_the_wrong_length(int length)
    {
        var net = new SmallTanhMseSigmoid(1);
        var output = new float[SmallTanhMseSigmoid.OutputSize];
        var error = Assert.Throws<ArgumentException>(() => net.Predict(new float[length], output));
        Assert.Equal("input", error.ParamName);
        Assert.Contains("exactly 3 elements", error.Message);
        Assert.Contains("SmallTanhMseSigmoid.InputSize", error.Message);
        Assert.Contains($"it has {length}", error.Message);
        Assert.All(output, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Predict_rejects_an_output_of_the_wrong_length()
    {
        var net = new LoopedReluCe(1);
        var error = Assert.Throws<ArgumentException>(() => net.Predict(new float[LoopedReluCe.InputSize], new float[4]));
        Assert.Equal("output", error.ParamName);
        Assert.Contains("exactly 5 elements", error.Message);
    }

    [Fact]
    public void Backward_rejects_wrong_lengths_before_touching_the_gradients()
    {
        var net = new MixedDeep(1);
        var input = new float[MixedDeep.InputSize];
        var gradients = new float[MixedDeep.ParameterCount];
        gradients.AsSpan().Fill(5f);

        var wrongTarget = Assert.Throws<ArgumentException>(() => net.Backward(input, new float[3], gradients));
        Assert.Equal("target", wrongTarget.ParamName);
        Assert.Contains("exactly 2 elements", wrongTarget.Message);

        var wrongGradients = Assert.Throws<ArgumentException>(() => net.Backward(input, new float[2], new float[MixedDeep.ParameterCount - 1]));
        Assert.Equal("gradients", wrongGradients.ParamName);
        Assert.Contains($"exactly {MixedDeep.ParameterCount} elements", wrongGradients.Message);

        var wrongParameters = Assert.Throws<ArgumentException>(() => MixedDeep.Backward(new float[10], input, new float[2], gradients));
        Assert.Equal("parameters", wrongParameters.ParamName);

        Assert.All(gradients, v => Assert.Equal(5f, v));
    }

    [Fact]
    public void ParameterName_rejects_an_index_out_of_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SmallTanhMseSigmoid.ParameterName(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SmallTanhMseSigmoid.ParameterName(SmallTanhMseSigmoid.ParameterCount));
    }
}
