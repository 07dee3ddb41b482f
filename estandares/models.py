# The standards catalogue (Publicacion, Categoria, Perfil, Requisito) arrives with its own issue.
