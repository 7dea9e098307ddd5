using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace NetGen;

/// <summary>A progress report from <c>Fit</c>: sent after every mini-batch and once more when each epoch ends.</summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">The number of epochs requested.</param>
/// <param name="Batch">Mini-batches done in this epoch.</param>
/// <param name="Batches">Mini-batches per epoch.</param>
/// <param name="Loss">The mean training loss over this epoch's batches so far.</param>
/// <param name="Elapsed">Time since <c>Fit</c> started.</param>
/// <param name="Remaining">Estimated time to the last epoch's end, from the mean time per batch so far.</param>
/// <param name="Completed">The epoch's result in the report sent when an epoch ends; null in per-batch reports.</param>
/// <param name="Note">An event of the run (early stopping, a restored epoch, a saved checkpoint) in a report of its own,
/// sent when a callback records it with <see cref="TrainingContext.Note"/>; null in every other report.</param>
public readonly record struct TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, float Loss, TimeSpan Elapsed, TimeSpan Remaining, EpochResult? Completed, string? Note = null);

/// <summary>
/// Prints training progress to a <see cref="TextWriter"/> such as <see cref="Console.Out"/>: one line per epoch with the
/// loss, metrics, validation figures, time per epoch and ETA, a line for each event callbacks note (early stopping, the
/// epoch whose parameters were restored, a saved best model), and — when <c>live</c> is on — a line redrawn in place
/// (with a carriage return) during the epoch, at most ten times a second.
/// </summary>
public sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    private readonly TextWriter _writer;
    private readonly bool _live;
    private readonly int _every;
    private long _lastDraw;

    /// <summary>Creates a printer.</summary>
    /// <param name="writer">Where to print; <see cref="Console.Out"/> if null.</param>
    /// <param name="live">Redraws a progress line during each epoch. By default on when printing to an interactive console.</param>
    /// <param name="every">Prints the line of epoch 1, of every <paramref name="every"/>-th epoch and of the last requested
    /// epoch. Default 1: every epoch.</param>
    public ConsoleProgress(TextWriter? writer = null, bool? live = null, int every = 1)
    {
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), every, "Print at least every epoch: every must be 1 or more.");
        _every = every;
        _writer = writer ?? Console.Out;
        _live = live ?? (writer is null || ReferenceEquals(writer, Console.Out)) && !Console.IsOutputRedirected;
    }

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        if (value.Note is { } note)
        {
            if (_live) _writer.Write('\r');
            _writer.WriteLine(note);
            return;
        }
        if (value.Completed is { } done)
        {
            if (done.Epoch == 1 || done.Epoch % _every == 0 || done.Epoch == value.Epochs)
            {
                if (_live) _writer.Write('\r');
                _writer.WriteLine(FormatEpoch(done, value.Epochs, value.Remaining));
            }
            return;
        }
        long now = Stopwatch.GetTimestamp();
        if (!_live || Stopwatch.GetElapsedTime(_lastDraw, now).TotalMilliseconds < 100) return;
        _lastDraw = now;
        const int width = 20;
        int filled = value.Batches == 0 ? width : value.Batch * width / value.Batches;
        _writer.Write(string.Create(CultureInfo.InvariantCulture,
            $"\rEpoch {value.Epoch}/{value.Epochs} [{new string('=', filled)}{new string(' ', width - filled)}] {value.Batch}/{value.Batches} loss {value.Loss:0.0000} ETA {Format(value.Remaining)}   "));
    }

    /// <summary>The one-line summary of an epoch, as printed: epoch, loss, metrics, validation, rate, time, ETA.</summary>
    public static string FormatEpoch(EpochResult result, int epochs, TimeSpan remaining)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"Epoch {result.Epoch}/{epochs}  loss {result.Loss:0.0000}");
        if (result.Train is { } train) text += Metrics("", train, includeLoss: false);
        if (result.Validation is { } validation) text += Metrics("val_", validation, includeLoss: true);
        return text + string.Create(CultureInfo.InvariantCulture,
            $"  lr {result.LearningRate:G4}  {Duration(result.Elapsed)}/epoch  ETA {Format(remaining)}");
    }

    private static string Metrics(string prefix, EvaluationResult r, bool includeLoss)
    {
        string text = includeLoss ? string.Create(CultureInfo.InvariantCulture, $"  {prefix}loss {r.Loss:0.0000}") : "";
        return text + (float.IsNaN(r.Accuracy)
            ? string.Create(CultureInfo.InvariantCulture, $"  {prefix}mae {r.MeanAbsoluteError:0.0000}")
            : string.Create(CultureInfo.InvariantCulture, $"  {prefix}acc {r.Accuracy:0.0000}"));
    }

    private static string Duration(TimeSpan t) =>
        t.TotalSeconds >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0.0}ms");

    private static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
