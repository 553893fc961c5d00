using System.Text;

namespace Flows;

/// <summary>
/// The last <c>limit</c> characters of a stream of text, kept as it comes: memory stays within about twice the
/// limit whatever the stream's length, and <see cref="Truncated"/> says whether anything was dropped.
/// </summary>
internal sealed class OutputTail(int limit)
{
    private readonly StringBuilder _text = new();

    public bool Truncated { get; private set; }

    public void Append(ReadOnlySpan<char> chunk)
    {
        if (limit <= 0)
        {
            Truncated |= chunk.Length > 0;
            return;
        }

        if (chunk.Length >= limit)
        {
            Truncated |= _text.Length > 0 || chunk.Length > limit;
            _text.Clear().Append(chunk[^limit..]);
            return;
        }

        _text.Append(chunk);

        // Trimmed once it holds twice the limit: each character is moved at most once on average.
        if (_text.Length >= 2 * limit)
        {
            _text.Remove(0, _text.Length - limit);
            Truncated = true;
        }
    }

    /// <summary>The text kept: at most the limit's last characters.</summary>
    public override string ToString()
    {
        if (_text.Length > limit)
        {
            _text.Remove(0, _text.Length - limit);
            Truncated = true;
        }

        return _text.ToString();
    }
}
