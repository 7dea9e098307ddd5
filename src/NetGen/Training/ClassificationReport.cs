using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NetGen;

/// <summary>
/// Per-class precision, recall, F1 and support, and the confusion matrix, of a classifier over a data set — scikit-learn's
/// <c>classification_report</c> and <c>confusion_matrix</c>. The class of a sample is the index of its largest output
/// (cross-entropy) or output ≥ 0.5 (a single sigmoid output: classes 0 and 1). With several sigmoid outputs (multi-label)
/// each output is its own yes/no class: the report is per label and there is no confusion matrix. A ratio whose
/// denominator is 0 (say, the precision of a class never predicted) is 0, as scikit-learn's default gives.
/// </summary>
public sealed class ClassificationReport
{
    private readonly int[,]? _confusion;
    private readonly double[] _precision, _recall, _f1;
    private readonly int[] _support;

    internal ClassificationReport(string[] classNames, int[,]? confusion, int[] truePositive, int[] falsePositive, int[] falseNegative, int[] support, bool multiLabel)
    {
        ClassNames = Array.AsReadOnly(classNames);
        _confusion = confusion;
        MultiLabel = multiLabel;
        int k = classNames.Length;
        _precision = new double[k];
        _recall = new double[k];
        _f1 = new double[k];
        _support = (int[])support.Clone();
        double weighted = 0, macro = 0;
        long supportTotal = 0, correct = 0;
        for (int c = 0; c < k; c++)
        {
            _precision[c] = Ratio(truePositive[c], truePositive[c] + falsePositive[c]);
            _recall[c] = Ratio(truePositive[c], truePositive[c] + falseNegative[c]);
            _f1[c] = _precision[c] + _recall[c] > 0 ? 2 * _precision[c] * _recall[c] / (_precision[c] + _recall[c]) : 0;
            macro += _f1[c];
            weighted += _f1[c] * support[c];
            supportTotal += support[c];
            correct += truePositive[c];
        }
        MacroF1 = macro / k;
        WeightedF1 = supportTotal > 0 ? weighted / supportTotal : 0;
        Samples = confusion is null ? 0 : (int)supportTotal;
        Accuracy = confusion is null ? double.NaN : Ratio(correct, supportTotal);
    }

    /// <summary>The classes, in output order: the network's <see cref="INetwork.ClassNames"/>, or "0", "1", ….</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>True for several sigmoid outputs, each its own yes/no label (no confusion matrix).</summary>
    public bool MultiLabel { get; }

    /// <summary>Precision of each class: TP / (TP + FP).</summary>
    public IReadOnlyList<double> Precision => _precision;

    /// <summary>Recall of each class: TP / (TP + FN).</summary>
    public IReadOnlyList<double> Recall => _recall;

    /// <summary>F1 of each class: 2·P·R / (P + R).</summary>
    public IReadOnlyList<double> F1 => _f1;

    /// <summary>The number of samples whose true class is each class (for multi-label: whose label is on).</summary>
    public IReadOnlyList<int> Support => _support;

    /// <summary>The unweighted mean of the per-class F1.</summary>
    public double MacroF1 { get; }

    /// <summary>The mean of the per-class F1 weighted by support.</summary>
    public double WeightedF1 { get; }

    /// <summary>The fraction of samples whose predicted class is their true class; NaN for multi-label.</summary>
    public double Accuracy { get; }

    /// <summary>The number of samples counted in the confusion matrix (0 for multi-label).</summary>
    public int Samples { get; }

    /// <summary>
    /// A copy of the confusion matrix: entry [actual, predicted] counts the samples of class <c>actual</c> predicted as
    /// <c>predicted</c> (scikit-learn's orientation). Null for multi-label.
    /// </summary>
    public int[,]? ConfusionMatrix => (int[,]?)_confusion?.Clone();

    /// <summary>The report as a table (per class precision, recall, F1, support; then the averages) and the confusion matrix.</summary>
    public override string ToString()
    {
        int nameWidth = 12;
        foreach (string name in ClassNames) nameWidth = Math.Max(nameWidth, name.Length);
        var text = new StringBuilder();
        text.Append(' ', nameWidth).Append("  precision     recall         f1    support\n");
        for (int c = 0; c < ClassNames.Count; c++)
            text.Append(CultureInfo.InvariantCulture, $"{ClassNames[c].PadLeft(nameWidth)}  {_precision[c],9:0.0000}  {_recall[c],9:0.0000}  {_f1[c],9:0.0000}  {_support[c],9}\n");
        if (!MultiLabel)
            text.Append(CultureInfo.InvariantCulture, $"{"accuracy".PadLeft(nameWidth)}  {"",9}  {"",9}  {Accuracy,9:0.0000}  {Samples,9}\n");
        text.Append(CultureInfo.InvariantCulture, $"{"macro F1".PadLeft(nameWidth)}  {"",9}  {"",9}  {MacroF1,9:0.0000}\n");
        text.Append(CultureInfo.InvariantCulture, $"{"weighted F1".PadLeft(nameWidth)}  {"",9}  {"",9}  {WeightedF1,9:0.0000}\n");
        if (_confusion is not null)
        {
            text.Append("\nconfusion matrix (rows: actual, columns: predicted)\n").Append(' ', nameWidth);
            int cell = 6;
            foreach (string name in ClassNames) cell = Math.Max(cell, Math.Min(name.Length, 12) + 1);
            foreach (string name in ClassNames) text.Append(' ').Append((name.Length > 12 ? name[..12] : name).PadLeft(cell));
            text.Append('\n');
            for (int a = 0; a < ClassNames.Count; a++)
            {
                text.Append(ClassNames[a].PadLeft(nameWidth));
                for (int p = 0; p < ClassNames.Count; p++)
                    text.Append(' ').Append(_confusion[a, p].ToString(CultureInfo.InvariantCulture).PadLeft(cell));
                text.Append('\n');
            }
        }
        return text.ToString();
    }

    private static double Ratio(long numerator, long denominator) => denominator > 0 ? numerator / (double)denominator : 0;
}
