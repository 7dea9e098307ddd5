using System;

namespace NetGen;

/// <summary>One-hot encoding of class labels: label k of C classes becomes C values, 1 at position k and 0 elsewhere.</summary>
public static class OneHot
{
    /// <summary>Encodes <paramref name="labels"/> as rows of <paramref name="classCount"/> values, row after row.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, <paramref name="classCount"/>).</exception>
    public static float[] Encode(ReadOnlySpan<int> labels, int classCount)
    {
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "There must be at least one class.");
        var encoded = new float[checked(labels.Length * classCount)];
        for (int i = 0; i < labels.Length; i++)
        {
            int label = labels[i];
            if ((uint)label >= (uint)classCount)
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"Label {label} of sample {i} is outside [0, {classCount}); class labels must be 0 … {classCount - 1}.");
            encoded[i * classCount + label] = 1f;
        }
        return encoded;
    }

    /// <summary>The class a row of outputs or one-hot targets stands for: the index of its largest value (the first on ties).</summary>
    public static int Decode(ReadOnlySpan<float> row)
    {
        if (row.IsEmpty) throw new ArgumentException("An empty row has no class.", nameof(row));
        return Metrics.ArgMax(row);
    }
}
