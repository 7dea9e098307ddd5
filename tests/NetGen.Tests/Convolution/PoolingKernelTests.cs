namespace NetGen.Tests.Convolution;

/// <summary>The rules of max pooling that random inputs never reach: ties and NaN, as PyTorch's MaxPool2d resolves them.</summary>
public class PoolingKernelTests
{
    [Fact]
    public void A_tie_sends_the_gradient_to_the_first_maximum_in_row_major_order()
    {
        // One 2×4 channel, two 2×2 windows: [1 1 | 0 2; 1 1 | 2 2]. The first window is all ones (a tie), the second has
        // three twos. The first maximum in each window, read row by row, is at flat index 0 and at index 3.
        float[] x = [1, 1, 0, 2, 1, 1, 2, 2];
        var y = new float[2];
        var argMax = new float[2];
        PoolingKernels.MaxForward(x, y, argMax, channels: 1, height: 2, width: 4, size: 2, stride: 2);
        Assert.Equal([1f, 2f], y);
        var dx = new float[8];
        PoolingKernels.MaxBackward([10f, 20f], argMax, dx);
        Assert.Equal([10f, 0, 0, 20f, 0, 0, 0, 0], dx);
    }

    [Fact]
    public void A_nan_in_a_window_is_its_maximum()
    {
        float[] x = [1, float.NaN, 3, 2];
        var y = new float[1];
        var argMax = new float[1];
        PoolingKernels.MaxForward(x, y, argMax, channels: 1, height: 2, width: 2, size: 2, stride: 2);
        Assert.True(float.IsNaN(y[0]));
        var dx = new float[4];
        PoolingKernels.MaxBackward([5f], argMax, dx);
        Assert.Equal([0f, 5f, 0, 0], dx);
    }

    [Fact]
    public void Overlapping_windows_add_their_gradients()
    {
        // 1×1×3 with windows of 2 every 1 is not an image the kernel takes (height 1 < 2), so use 1×2×3: windows at columns 0 and 1.
        float[] x = [0, 5, 1, 0, 0, 1];
        var y = new float[2];
        var argMax = new float[2];
        PoolingKernels.MaxForward(x, y, argMax, channels: 1, height: 2, width: 3, size: 2, stride: 1);
        Assert.Equal([5f, 5f], y);
        var dx = new float[6];
        PoolingKernels.MaxBackward([1f, 2f], argMax, dx);
        Assert.Equal([0f, 3f, 0, 0, 0, 0], dx);
    }
}
