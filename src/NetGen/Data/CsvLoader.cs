using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace NetGen;

/// <summary>A data set read from a CSV file, with the names that give its columns and classes meaning.</summary>
/// <param name="Data">The samples: features as inputs; one-hot classes or numeric columns as targets.</param>
/// <param name="FeatureNames">The header names of the input columns, in order.</param>
/// <param name="TargetNames">The names of the target positions: the class names for classification, the column names for regression.</param>
/// <param name="ClassNames">For classification, the class of each output position (target k is class <c>ClassNames[k]</c>); empty for regression.</param>
public sealed record CsvData(Dataset Data, IReadOnlyList<string> FeatureNames, IReadOnlyList<string> TargetNames, IReadOnlyList<string> ClassNames);

/// <summary>
/// Reads numeric CSV files with a header row into a <see cref="Dataset"/>. Every column other than the label/target
/// columns is a feature and must hold a finite number (invariant culture, '.' decimal point) in every row. Fields may be
/// quoted ("…", with "" for a quote). Blank lines are skipped. Any bad row — a wrong number of fields, a cell that is not a
/// number, an unknown class — stops the load with an <see cref="InvalidDataException"/> naming the line and column; no
/// partial data is returned.
/// </summary>
/// <remarks>Hand-written rather than a CSV package so the runtime keeps no dependencies; it reads the plain numeric
/// tables ML data sets use, not every CSV dialect (no fields spanning lines).</remarks>
public static class CsvLoader
{
    /// <summary>Loads a classification table: <paramref name="labelColumn"/> holds class names (or numbers), encoded one-hot.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="labelColumn">The header name of the class column.</param>
    /// <param name="classNames">The classes in output order; by default the distinct labels sorted ordinally.</param>
    /// <param name="separator">The field separator. Default ','.</param>
    public static CsvData LoadClassification(string path, string labelColumn, IReadOnlyList<string>? classNames = null, char separator = ',')
    {
        using var reader = Open(path);
        return LoadClassification(reader, labelColumn, classNames, separator, Path.GetFileName(path));
    }

    /// <summary>Loads a classification table from a reader; <paramref name="sourceName"/> names it in error messages.</summary>
    public static CsvData LoadClassification(TextReader reader, string labelColumn, IReadOnlyList<string>? classNames = null, char separator = ',', string sourceName = "CSV")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(labelColumn);
        var table = Read(reader, separator, sourceName, new[] { labelColumn });
        int labelIndex = table.TargetColumns[0];
        var labels = table.Rows.Select(r => r.Fields[labelIndex]).ToList();
        int empty = labels.FindIndex(string.IsNullOrEmpty);
        if (empty >= 0)
            throw new InvalidDataException($"{sourceName} line {table.Rows[empty].Line}: column '{labelColumn}' is empty; every row needs a class.");
        List<string> classes = classNames?.ToList() ?? labels.Distinct(StringComparer.Ordinal).OrderBy(c => c, StringComparer.Ordinal).ToList();
        if (classes.Count == 0)
            throw new ArgumentException("At least one class name is needed.", nameof(classNames));
        if (classes.Distinct(StringComparer.Ordinal).Count() != classes.Count)
            throw new ArgumentException("The class names must be distinct.", nameof(classNames));
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < classes.Count; k++) index[classes[k]] = k;
        var encoded = new int[table.Rows.Count];
        for (int i = 0; i < table.Rows.Count; i++)
        {
            if (!index.TryGetValue(labels[i], out encoded[i]))
                throw new InvalidDataException(
                    $"{sourceName} line {table.Rows[i].Line}: column '{labelColumn}' has class '{labels[i]}', which is not one of {string.Join(", ", classes.Select(c => $"'{c}'"))}.");
        }
        var features = Features(table, sourceName);
        return new CsvData(Dataset.FromLabels(features, table.FeatureColumns.Length, encoded, classes.Count),
            table.FeatureNames, classes, classes);
    }

    /// <summary>Loads a regression table: the named columns are the numeric targets, all others the features.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="targetColumns">The header names of the target columns, in output order.</param>
    /// <param name="separator">The field separator. Default ','.</param>
    public static CsvData LoadRegression(string path, IReadOnlyList<string> targetColumns, char separator = ',')
    {
        using var reader = Open(path);
        return LoadRegression(reader, targetColumns, separator, Path.GetFileName(path));
    }

    /// <summary>Loads a regression table from a reader; <paramref name="sourceName"/> names it in error messages.</summary>
    public static CsvData LoadRegression(TextReader reader, IReadOnlyList<string> targetColumns, char separator = ',', string sourceName = "CSV")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(targetColumns);
        if (targetColumns.Count == 0) throw new ArgumentException("Name at least one target column.", nameof(targetColumns));
        var table = Read(reader, separator, sourceName, targetColumns);
        var features = Features(table, sourceName);
        var targets = new float[table.Rows.Count * targetColumns.Count];
        for (int i = 0; i < table.Rows.Count; i++)
            for (int t = 0; t < targetColumns.Count; t++)
                targets[i * targetColumns.Count + t] = Number(table, i, table.TargetColumns[t], sourceName);
        return new CsvData(new Dataset(features, targets, table.FeatureColumns.Length, targetColumns.Count),
            table.FeatureNames, targetColumns.ToArray(), Array.Empty<string>());
    }

    private static StreamReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new FileNotFoundException($"'{path}' is a directory; give the path of a CSV file.", path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The CSV file '{Path.GetFullPath(path)}' does not exist.", path);
        return new StreamReader(path);
    }

    private sealed record Row(int Line, string[] Fields);

    private sealed record Table(string[] Header, int[] TargetColumns, int[] FeatureColumns, string[] FeatureNames, List<Row> Rows);

    private static Table Read(TextReader reader, char separator, string source, IReadOnlyList<string> targetNames)
    {
        string[]? header = null;
        var rows = new List<Row>();
        int lineNumber = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string[] fields = SplitLine(line, separator, source, lineNumber);
            if (header is null)
            {
                header = fields;
                continue;
            }
            if (fields.Length != header.Length)
                throw new InvalidDataException($"{source} line {lineNumber} has {fields.Length} fields but the header has {header.Length}; every row needs one value per column." +
                    SeparatorHint(header, separator));
            rows.Add(new Row(lineNumber, fields));
        }
        if (header is null)
            throw new InvalidDataException($"{source} is empty; it needs a header row and at least one data row.");
        if (rows.Count == 0)
            throw new InvalidDataException($"{source} has a header but no data rows.");
        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidDataException($"{source}: the header names column '{duplicate.Key}' twice; column names must be unique.");
        var targets = new int[targetNames.Count];
        for (int t = 0; t < targets.Length; t++)
        {
            targets[t] = Array.IndexOf(header, targetNames[t]);
            if (targets[t] < 0)
                throw new ArgumentException(
                    $"{source} has no column '{targetNames[t]}'. Its columns are: {string.Join(", ", header.Select(h => $"'{h}'"))}.");
        }
        int[] featureColumns = Enumerable.Range(0, header.Length).Where(c => !targets.Contains(c)).ToArray();
        if (featureColumns.Length == 0)
            throw new InvalidDataException($"{source} has no feature columns besides the target columns.");
        return new Table(header, targets, featureColumns, featureColumns.Select(c => header[c]).ToArray(), rows);
    }

    private static float[] Features(Table table, string source)
    {
        int width = table.FeatureColumns.Length;
        var features = new float[table.Rows.Count * width];
        for (int i = 0; i < table.Rows.Count; i++)
            for (int j = 0; j < width; j++)
                features[i * width + j] = Number(table, i, table.FeatureColumns[j], source);
        return features;
    }

    private static float Number(Table table, int row, int column, string source)
    {
        string text = table.Rows[row].Fields[column];
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
            throw new InvalidDataException(
                $"{source} line {table.Rows[row].Line}, column '{table.Header[column]}': '{text}' is not a finite number.");
        return value;
    }

    private static string[] SplitLine(string line, char separator, string source, int lineNumber)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false, wasQuoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else field.Append(c);
            }
            else if (wasQuoted && c != separator)
            {
                // After a closing quote only spaces may come before the separator.
                if (!char.IsWhiteSpace(c))
                    throw new InvalidDataException($"{source} line {lineNumber} has text after a closing quote; quote the whole field.");
            }
            else if (c == '"' && field.ToString().Trim().Length == 0 && !wasQuoted)
            {
                field.Clear();
                quoted = wasQuoted = true;
            }
            else if (c == separator)
            {
                fields.Add(wasQuoted ? field.ToString() : field.ToString().Trim());
                field.Clear();
                wasQuoted = false;
            }
            else field.Append(c);
        }
        if (quoted)
            throw new InvalidDataException($"{source} line {lineNumber} has a quoted field with no closing quote.");
        fields.Add(wasQuoted ? field.ToString() : field.ToString().Trim());
        return fields.ToArray();
    }

    /// <summary>When the header is one field that contains another common separator, the likely fix.</summary>
    private static string SeparatorHint(string[] header, char separator)
    {
        if (header.Length != 1) return "";
        foreach (char candidate in new[] { ';', '\t', '|', ',' })
            if (candidate != separator && header[0].Contains(candidate))
                return $" The header is one column that contains '{(candidate == '\t' ? "\\t" : candidate.ToString())}': if that is the file's separator, pass separator: '{(candidate == '\t' ? "\\t" : candidate.ToString())}'.";
        return "";
    }
}
