using System.Linq;
using System.Text;

namespace NetGen.Generator.Helpers;

/// <summary>Small text helpers for generated code.</summary>
internal static class Text
{
    /// <summary>Terms per line of a long sum.</summary>
    public const int TermsPerLine = 6;

    private static readonly string[] NoStrings = new string[0];

    public static string[] Range(int count, System.Func<int, string> item) =>
        count == 0 ? NoStrings : Enumerable.Range(0, count).Select(item).ToArray();

    /// <summary>
    /// Joins terms into lines of at most <paramref name="perLine"/> terms. A list separated by commas keeps the comma
    /// at the end of the line; an operator starts the continuation line, as in a typeset formula.
    /// </summary>
    public static string Wrap(string[] terms, string separator, int perLine, string continuationIndent)
    {
        var text = new StringBuilder();
        bool comma = separator.TrimEnd() == ",";
        for (int i = 0; i < terms.Length; i++)
        {
            if (i > 0 && i % perLine == 0)
                text.Append(comma ? ",\n" + continuationIndent : "\n" + continuationIndent + separator.TrimStart());
            else if (i > 0)
                text.Append(separator);
            text.Append(terms[i]);
        }
        return text.ToString();
    }

    /// <summary><paramref name="expression"/> / n, or the expression itself for n = 1 (no "/ 1f" noise).</summary>
    public static string Divide(string expression, int n, bool isSum) =>
        n == 1 ? expression : (isSum ? "(" + expression + ")" : expression) + " / " + n + "f";
}
