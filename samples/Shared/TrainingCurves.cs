using NetGen;

namespace Samples.Shared;

/// <summary>Draws a training history's curves with ScottPlot 5: loss and validation loss per epoch, and accuracy on a right axis for classifiers.</summary>
internal static class TrainingCurves
{
    /// <summary>Writes the curves to <paramref name="path"/>: an SVG when it ends with .svg, a PNG otherwise.</summary>
    public static void Save(TrainingHistory history, string title, string path, int width = 800, int height = 450)
    {
        var plot = new ScottPlot.Plot();
        double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        var loss = plot.Add.Scatter(epochs, history.Epochs.Select(e => (double)e.Loss).ToArray());
        loss.LegendText = "loss";
        loss.MarkerSize = 0;
        if (history.Epochs.All(e => e.Validation is not null))
        {
            var validation = plot.Add.Scatter(epochs, history.Epochs.Select(e => (double)e.Validation!.Value.Loss).ToArray());
            validation.LegendText = "val_loss";
            validation.MarkerSize = 0;
            if (history.Epochs.All(e => !float.IsNaN(e.Validation!.Value.Accuracy)))
            {
                var accuracy = plot.Add.Scatter(epochs, history.Epochs.Select(e => (double)e.Validation!.Value.Accuracy).ToArray());
                accuracy.LegendText = "val_acc (right axis)";
                accuracy.MarkerSize = 0;
                accuracy.Axes.YAxis = plot.Axes.Right;
                plot.Axes.Right.Label.Text = "accuracy";
            }
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
            plot.SaveSvg(path, width, height);
        else
            plot.SavePng(path, width, height);
    }
}
