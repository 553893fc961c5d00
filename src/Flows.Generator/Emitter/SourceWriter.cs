using System;
using System.Text;

namespace Flows.Generator.Emitter;

/// <summary>
/// Writes C# source line by line with four-space indentation and <c>\n</c> line ends, so that the
/// output is the same on every machine.
/// </summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indentation;

    /// <summary>Writes <paramref name="text"/> at the current indentation, then a line end; an empty string writes an empty line.</summary>
    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indentation * 4);
            _builder.Append(text);
        }

        _builder.Append('\n');
        return this;
    }

    /// <summary>Writes <c>{</c> and indents what follows.</summary>
    public SourceWriter OpenBlock(string? header = null)
    {
        if (header is not null)
        {
            Line(header);
        }

        Line("{");
        _indentation++;
        return this;
    }

    /// <summary>Unindents and writes <c>}</c> followed by <paramref name="suffix"/>.</summary>
    public SourceWriter CloseBlock(string suffix = "")
    {
        Indent(-1);
        return Line("}" + suffix);
    }

    /// <summary>Changes the indentation by <paramref name="delta"/> levels.</summary>
    public SourceWriter Indent(int delta = 1)
    {
        _indentation += delta;
        if (_indentation < 0)
        {
            throw new InvalidOperationException("More blocks closed than opened.");
        }

        return this;
    }

    /// <inheritdoc />
    public override string ToString() => _builder.ToString();
}
