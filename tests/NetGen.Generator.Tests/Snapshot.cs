using System.Reflection;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace NetGen.Generator.Tests;

/// <summary>
/// Approval testing without Verify: the approved text lives in Snapshots/{name}.g.cs.txt in this project's folder
/// (its path is compiled into the test assembly by the project file). On a mismatch
/// the test fails with a line diff and writes the new text to {name}.received.txt. To accept new output, run the tests
/// with NETGEN_ACCEPT_SNAPSHOTS=1 and review the change in git.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "NETGEN_ACCEPT_SNAPSHOTS";

    public static readonly string Folder = typeof(Snapshot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "NetGen.SnapshotFolder").Value!;

    public static void Match(string name, string actual)
    {
        string folder = Folder;
        string approvedPath = Path.Combine(folder, name + ".g.cs.txt");
        string receivedPath = Path.Combine(folder, name + ".received.txt");
        actual = Normalize(actual);

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(approvedPath, actual, new UTF8Encoding(false));
            File.Delete(receivedPath);
            return;
        }

        string? approved = File.Exists(approvedPath) ? Normalize(File.ReadAllText(approvedPath)) : null;
        if (approved == actual)
        {
            File.Delete(receivedPath);
            return;
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(receivedPath, actual, new UTF8Encoding(false));
        if (approved is null)
            Assert.Fail($"No approved snapshot {approvedPath}. The output was written to {receivedPath}; run with {AcceptVariable}=1 to accept it.");
        Assert.Fail($"The generated source differs from {approvedPath} (- approved, + received):\n{Diff(approved, actual)}\n" +
                    $"Received text: {receivedPath}. If the change is intended, run the tests with {AcceptVariable}=1.");
    }

    /// <summary>Line endings, a byte-order mark and the generator's version (in <c>[GeneratedCode]</c>, which changes with
    /// every release, not with the code) are not part of what a snapshot approves.</summary>
    private static string Normalize(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text.Replace("\r\n", "\n").TrimStart('\uFEFF'),
            @"GeneratedCode\(""NetGen\.Generator"", ""[^""]*""\)", @"GeneratedCode(""NetGen.Generator"", ""<version>"")");

    private static string Diff(string approved, string actual)
    {
        var diff = InlineDiffBuilder.Diff(approved, actual, ignoreWhiteSpace: false);
        var text = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < diff.Lines.Count && shown < 60; i++)
        {
            var line = diff.Lines[i];
            if (line.Type == ChangeType.Unchanged) continue;
            text.Append(line.Type == ChangeType.Inserted ? "+ " : "- ").Append(line.Position?.ToString() ?? "?").Append(": ").Append(line.Text).Append('\n');
            shown++;
        }
        return text.ToString();
    }
}
