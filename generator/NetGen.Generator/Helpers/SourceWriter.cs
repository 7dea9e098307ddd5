using System;
using System.Text;

namespace NetGen.Generator.Helpers;

/// <summary>
/// Writes C# text with an indentation counter: each line is prefixed with the current indentation, multi-line strings
/// are re-indented line by line, and <see cref="ToString"/> checks that every block opened was closed.
/// </summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _text = new();
    private int _indent;

    public void WriteLine() => _text.Append('\n');

    public void WriteLine(string text)
    {
        int start = 0;
        while (true)
        {
            int end = text.IndexOf('\n', start);
            string line = end < 0 ? text.Substring(start) : text.Substring(start, end - start);
            if (line.Length > 0)
            {
                for (int i = 0; i < _indent; i++) _text.Append(IndentUnit);
                _text.Append(line.TrimEnd());
            }
            _text.Append('\n');
            if (end < 0) break;
            start = end + 1;
        }
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents until the returned scope is disposed.</summary>
    public Block OpenBlock(string header)
    {
        WriteLine(header);
        WriteLine("{");
        _indent++;
        return new Block(this);
    }

    public void Indent() => _indent++;

    public void Unindent()
    {
        if (_indent == 0) throw new InvalidOperationException("Unbalanced indentation.");
        _indent--;
    }

    public override string ToString()
    {
        if (_indent != 0) throw new InvalidOperationException("A block was left open.");
        return _text.ToString();
    }

    internal readonly struct Block : IDisposable
    {
        private readonly SourceWriter _writer;

        public Block(SourceWriter writer) => _writer = writer;

        public void Dispose()
        {
            _writer.Unindent();
            _writer.WriteLine("}");
        }
    }
}
